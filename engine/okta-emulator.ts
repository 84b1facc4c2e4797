// The emulated Okta org of the engine suite: engine/okta-schema in emulator
// mode (ACCESSCTL_OKTA_EMULATOR names this store). OpenTofu plans and applies
// the okta stack against it as it would against Okta; the store records every
// object and, in order, every call, so tests can read what Okta would hold and
// in which order it was asked to change.
//
// What it adds to the plugin is Okta's one rule the tests need: a user is
// assigned to an app, and so provisioned to AWS by SCIM, while a group that
// holds them is assigned to the app.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OktaCall {
  readonly seq: number;
  readonly op: 'create' | 'update' | 'delete' | 'import' | 'assign' | 'unassign';
  readonly type: string;
  readonly id?: string;
  readonly app?: string;
  readonly group?: string;
}

interface Store {
  users: { id: string; login: string; email: string }[];
  objects: Record<string, Record<string, Record<string, unknown>>>;
  assignments: Record<string, string[]>;
  calls: OktaCall[];
  next: number;
}

export interface OktaSnapshot {
  readonly assigned: readonly string[];
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The SCIM token the okta stack's variable gets in the engine suite; never a real one. */
export const TEST_SCIM_TOKEN = 'engine-test-scim-token';

export class OktaEmulator {
  readonly dir: string;
  readonly file: string;

  /** An org whose users are these logins (ids 00u-<login>, as engine/okta.ts hands them out). */
  constructor(logins: readonly string[]) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-okta-'));
    this.file = path.join(this.dir, 'okta.json');
    this.save({ users: logins.map((l) => ({ id: oktaUserId(l), login: l.toLowerCase(), email: l.toLowerCase() })), objects: {}, assignments: {}, calls: [], next: 1 });
  }

  /** The environment a tofu run of the okta stack needs. */
  env(): Record<string, string> {
    return { ACCESSCTL_OKTA_EMULATOR: this.file, TF_VAR_okta_aws_scim_token: TEST_SCIM_TOKEN };
  }

  private load(): Store {
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Store;
  }

  private save(store: Store): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(store, null, 2));
    fs.renameSync(tmp, this.file);
  }

  calls(): OktaCall[] {
    return this.load().calls;
  }

  /** Forgets the calls so far (a test then reads only those of its next apply). */
  clearCalls(): void {
    const s = this.load();
    s.calls = [];
    this.save(s);
  }

  objects(type: string): Record<string, Record<string, unknown>> {
    return this.load().objects[type] ?? {};
  }

  /** Group id -> name. */
  groupNames(): Map<string, string> {
    return new Map(Object.entries(this.objects('okta_group')).map(([id, g]) => [id, String(g.name)]));
  }

  /** Names of the groups assigned to an app. */
  assignedGroups(appId: string): string[] {
    const names = this.groupNames();
    return (this.load().assignments[appId] ?? []).map((id) => names.get(id) ?? id).sort();
  }

  /** Names of the groups pushed to an app. */
  pushedGroups(appId: string): string[] {
    const names = this.groupNames();
    return Object.values(this.objects('okta_push_group')).filter((p) => p.app_id === appId).map((p) => names.get(String(p.source_group_id)) ?? String(p.source_group_id)).sort();
  }

  /** group id -> member user ids, from the memberships Okta holds. */
  members(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const m of Object.values(this.objects('okta_group_memberships'))) out.set(String(m.group_id), new Set((m.users as string[] | null) ?? []));
    return out;
  }

  /** Logins of the users assigned to an app through its groups: who SCIM provisions. */
  provisioned(appId: string): string[] {
    return usersOf(this.load().assignments[appId] ?? [], this.members(), this.logins());
  }

  private logins(): Map<string, string> {
    return new Map(this.load().users.map((u) => [u.id, u.login]));
  }

  /**
   * What SCIM sends to AWS for an app: the users assigned to it, and for each
   * pushed group its members among them (Okta pushes only assigned members).
   */
  scimView(appId: string): { users: string[]; members: Record<string, string[]> } {
    const users = this.provisioned(appId);
    const assigned = new Set(users);
    const names = this.groupNames();
    const logins = this.logins();
    const members = this.members();
    const out: Record<string, string[]> = {};
    for (const p of Object.values(this.objects('okta_push_group')).filter((x) => x.app_id === appId)) {
      const g = String(p.source_group_id);
      out[names.get(g) ?? g] = [...(members.get(g) ?? [])].map((u) => logins.get(u) ?? u).filter((l) => assigned.has(l)).sort();
    }
    return { users, members: out };
  }

  /** What an app's assignments and the groups' memberships are now: the start of a replay (lostOnTheWay). */
  snapshot(appId: string): OktaSnapshot {
    return { assigned: [...(this.load().assignments[appId] ?? [])], members: this.members() };
  }

  /**
   * Replays the assign and unassign calls of the log over an app's
   * assignments as they stood in `before`, and returns the people who lost
   * the app at some step: whom SCIM would have deactivated on the way. A
   * group's members are those it had in `before` or has now (an apply that
   * creates or deletes a whole group's memberships is covered; one that
   * changes a membership in the middle of the replay is not).
   */
  lostOnTheWay(appId: string, before: OktaSnapshot): string[] {
    const members = new Map<string, Set<string>>();
    for (const m of [before.members, this.members()]) for (const [g, us] of m) members.set(g, new Set([...(members.get(g) ?? []), ...us]));
    const logins = this.logins();
    const assigned = new Set(before.assigned);
    const start = new Set(usersOf([...assigned], members, logins));
    const lost = new Set<string>();
    for (const c of this.calls()) {
      if (c.app !== appId || c.group === undefined) continue;
      if (c.op === 'assign') assigned.add(c.group);
      if (c.op === 'unassign') assigned.delete(c.group);
      const now = new Set(usersOf([...assigned], members, logins));
      for (const u of start) if (!now.has(u)) lost.add(u);
    }
    return [...lost].sort();
  }

  remove(): void {
    if (process.env.ACCESSCTL_ENGINE_KEEP === '1') return;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The Okta user id the emulator and the tofu test overrides hand out for a login. */
export function oktaUserId(login: string): string {
  return `00u-${login.toLowerCase()}`;
}

function usersOf(groupIds: readonly string[], members: ReadonlyMap<string, ReadonlySet<string>>, logins: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const g of groupIds) for (const u of members.get(g) ?? []) out.add(logins.get(u) ?? u);
  return [...out].sort();
}
