// Distils CloudTrail records into the usage file: the latest use of each
// (user, account, permission set), with what could not be matched counted
// and listed. Records are read one at a time; only the per-key results are kept.

import { foldLogin } from '../model/logins';
import { eventInstant, RecordError, useOf, type Rec, type Use } from './cloudtrail';
import { USAGE_FILE_VERSION, usageKey, type LastUse, type UsageFile } from './file';
import { recordsOf, SourceError } from './sources';
import type { IdentityStoreUsers } from './users';

export interface BuildOptions {
  readonly files: readonly { readonly file: string; readonly shown: string }[];
  readonly users: IdentityStoreUsers;
  /** YYYY-MM-DD: events before this day are skipped. */
  readonly since?: string;
  readonly now: Date;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

class Accumulator {
  readonly last = new Map<string, LastUse>();
  readonly unknownUsers = new Map<string, number>();
  readonly unknownRoles = new Map<string, { accountId: string; roleName: string; events: number }>();
  records = 0;
  used = 0;
  until: string | null = null;

  constructor(private readonly users: IdentityStoreUsers, private readonly sinceInstant: string | undefined) {}

  add(r: Rec): void {
    this.records++;
    const time = eventInstant(r);
    if (time !== undefined && this.sinceInstant !== undefined && time < this.sinceInstant) return;
    const use = useOf(r);
    if (time !== undefined && (this.until === null || time > this.until)) this.until = time;
    if (use !== undefined) this.count(use);
  }

  private count(use: Use): void {
    if (use.kind === 'role') {
      const k = `${use.accountId}|${use.roleName}`;
      const prev = this.unknownRoles.get(k);
      this.unknownRoles.set(k, { accountId: use.accountId, roleName: use.roleName, events: (prev?.events ?? 0) + 1 });
      return;
    }
    const user = use.who.kind === 'id' ? this.users.byUserId(use.who.value) : this.users.byUserName(use.who.value);
    if (user === undefined) {
      this.unknownUsers.set(use.who.value, (this.unknownUsers.get(use.who.value) ?? 0) + 1);
      return;
    }
    this.used++;
    const k = usageKey(user, use.accountId, use.permissionSet);
    const prev = this.last.get(k);
    // The latest event wins; of events in the same second, the smallest event id (a stable choice).
    if (prev && (prev.lastUsed > use.time || (prev.lastUsed === use.time && prev.eventId <= use.eventId))) return;
    this.last.set(k, { user, accountId: use.accountId, permissionSet: use.permissionSet, lastUsed: use.time, eventId: use.eventId, eventName: use.eventName });
  }
}

function sortedLastUse(last: Iterable<LastUse>): LastUse[] {
  return [...last].sort((a, b) => cmp(foldLogin(a.user), foldLogin(b.user)) || cmp(a.accountId, b.accountId) || cmp(a.permissionSet, b.permissionSet));
}

/** Reads every file and returns the usage file; a SourceError names the file and record of the first bad input. */
export async function buildUsage(o: BuildOptions): Promise<UsageFile> {
  const acc = new Accumulator(o.users, o.since === undefined ? undefined : `${o.since}T00:00:00Z`);
  for (const { file, shown } of o.files) {
    let n = 0;
    for await (const r of recordsOf(file, shown)) {
      n++;
      try {
        acc.add(r);
      } catch (e) {
        if (e instanceof RecordError) throw new SourceError(shown, n, e.message);
        throw e;
      }
    }
  }
  return {
    version: USAGE_FILE_VERSION,
    generatedAt: o.now.toISOString(),
    since: o.since ?? null,
    until: acc.until,
    sources: { files: o.files.length, records: acc.records, used: acc.used },
    lastUse: sortedLastUse(acc.last.values()),
    unmatched: {
      users: [...acc.unknownUsers].map(([user, events]) => ({ user, events })).sort((a, b) => cmp(a.user, b.user)),
      roles: [...acc.unknownRoles.values()].sort((a, b) => cmp(a.accountId, b.accountId) || cmp(a.roleName, b.roleName)),
    },
  };
}
