// What the scheduled apply run synthesizes: for every stack of the apply
// record, the access files at the commit that stack was last applied from,
// laid out with today's date. The files are the same ones that were applied,
// so the only thing that can differ from what was applied is what time
// changed: members, owners and assignments whose expires has passed. Nothing
// new can come from here, and no finding in main (a waiver that lapsed, the
// SCIM token's age) can hold an expiry back.
//
// Guardrails are not run: every finding of those files was judged when they
// were applied, and what time changes since is reported by validate on main.
// okta-scim is never part of it: connecting SCIM is not a removal.

import { cmp } from '../diagnostics';
import { OKTA_SCIM_STACK } from './layout';
import { buildLayout, type Layout } from './layout';
import { loadCommit, RevisionError, type Revision } from '../diff/revisions';
import type { Git } from '../git/git';
import type { AccessModel } from '../model/types';
import type { SchemaValidator } from '../schema/validate';
import { instantOf } from '../util/dates';
import { stackDigests, type AppliedRecord } from './applied';
import { stackLayouts, type AwsLayout, type OktaLayout, type StackLayout } from './layout';

/** One recorded commit, laid out today, and the stacks to take from it. */
export interface LapsedCommit {
  readonly commit: string;
  readonly layout: Layout;
  readonly model: AccessModel;
  /** The stacks last applied from this commit whose layout differs today, in synth order. */
  readonly stacks: readonly string[];
}

export interface Lapsed {
  readonly commits: readonly LapsedCommit[];
  /** What the apply jobs read (the shape of `affected --applied`, plus the commit each stack comes from). */
  readonly affected: {
    readonly stacks: readonly string[];
    readonly all: readonly string[];
    readonly removed: readonly string[];
    readonly reasons: Readonly<Record<string, string>>;
    readonly digests: Readonly<Record<string, string>>;
    readonly commits: Readonly<Record<string, string>>;
    /**
     * Per stack, the access its commit declares that has lapsed by today
     * (accessFacts): the only removals an expiry plan may make. A removal
     * outside it (something another run applied after this run read the
     * record, or a record that failed to be written) is no expiry, and waits
     * for a person (plan-summary --lapsed).
     */
    readonly lapsed: Readonly<Record<string, readonly string[]>>;
  };
  /** Stacks that cannot be expired from their commit, and why, one line each. */
  readonly problems: readonly string[];
}

/** The stacks whose recorded commit, laid out on `today`, differs from what was applied: their expiries. */
export function lapsedSinceApplied(record: AppliedRecord, git: Git, dir: string, today: string, validator: SchemaValidator): Lapsed {
  const byCommit = new Map<string, string[]>();
  for (const [stack, entry] of Object.entries(record.stacks)) {
    if (stack === OKTA_SCIM_STACK) continue;
    byCommit.set(entry.commit, [...(byCommit.get(entry.commit) ?? []), stack]);
  }
  const commits: LapsedCommit[] = [];
  const problems: string[] = [];
  const reasons: Record<string, string> = {};
  const digests: Record<string, string> = {};
  const from: Record<string, string> = {};
  const lapsed: Record<string, string[]> = {};
  for (const [commit, stacks] of [...byCommit].sort(([a], [b]) => cmp(a, b))) {
    const loaded = load(git, commit, dir, validator);
    if ('problem' in loaded) {
      for (const s of stacks.sort(cmp)) problems.push(`${s}: ${loaded.problem}`);
      continue;
    }
    const layout = buildLayout({ model: loaded.model, today });
    const now = stackDigests(layout, loaded.model.settings.backend);
    // Everything the commit declares, as if nothing had lapsed yet.
    const declared = new Map(stackLayouts(buildLayout({ model: loaded.model, today: EVER })).map((l) => [l.stack, accessFacts(l)]));
    const active = new Map(stackLayouts(layout).map((l) => [l.stack, new Set(accessFacts(l))]));
    const taken: string[] = [];
    for (const s of Object.keys(now)) {
      if (!stacks.includes(s)) continue;
      const applied = record.stacks[s]!;
      if (now[s] === applied.digest) continue;
      taken.push(s);
      digests[s] = now[s]!;
      from[s] = commit;
      reasons[s] = `lapsed since it was applied from ${commit.slice(0, 12)} at ${applied.appliedAt}`;
      lapsed[s] = (declared.get(s) ?? []).filter((f) => !active.get(s)!.has(f));
    }
    for (const s of stacks.filter((x) => !(x in now)).sort(cmp)) problems.push(`${s}: the files at ${commit.slice(0, 12)} no longer lay out this stack; it ` +
        `cannot be expired from them`);
    if (taken.length > 0) commits.push({ commit, layout, model: loaded.model, stacks: taken });
  }
  const stacks = commits.flatMap((c) => c.stacks).sort(cmp);
  return { commits, affected: { stacks, all: stacks, removed: [], reasons, digests, commits: from, lapsed }, problems };
}

/** A day before any expiry: the layout of everything the files declare. */
const EVER = instantOf(new Date(0));

/**
 * The access a stack's layout grants, one line per thing a removal can take
 * away, named as plan-summary --lapsed names the removals of a plan: the
 * resource address, and for a group's memberships the member's login.
 */
export function accessFacts(layout: StackLayout): string[] {
  const at = (type: string, name: string, key: string): string => `${type}.${name}[${JSON.stringify(key)}]`;
  const out: string[] = [];
  if (layout.stack === 'okta') {
    const okta = layout as OktaLayout;
    for (const [g, m] of Object.entries(okta.memberships)) for (const l of m.logins) out.push(`${at('okta_group_memberships', 'this', g)} ${l}`);
    if (okta.awsApp) for (const l of okta.awsApp.assignmentGroup.logins) out.push(`${at('okta_group_memberships', 'assignment', okta.awsApp.key)} ${l}`);
    for (const k of Object.keys(okta.owners)) out.push(at('okta_group_owner', 'this', k));
    for (const k of Object.keys(okta.appAssignments)) out.push(at('okta_app_group_assignment', 'this', k));
  } else if (layout.stack !== OKTA_SCIM_STACK) {
    for (const k of Object.keys((layout as AwsLayout).assignments)) out.push(at('aws_ssoadmin_account_assignment', 'this', k));
  }
  return out.sort(cmp);
}

function load(git: Git, commit: string, dir: string, validator: SchemaValidator): { model: AccessModel } | { problem: string } {
  let rev: Revision;
  try {
    rev = loadCommit(git, { label: commit.slice(0, 12), commit }, dir, validator);
  } catch (e) {
    if (e instanceof RevisionError) return { problem: `git cannot read the commit it was applied from: ${e.message}` };
    throw e;
  }
  if (rev.model) return { model: rev.model };
  const first = rev.diagnostics.find((d) => d.severity === 'error');
  return { problem: `the files at ${commit.slice(0, 12)} do not load with this version of ` +
      `accessctl${first ? `: ${first.file}:${first.line} ${first.code} ${first.message}` : ' (no access files)'}` };
}
