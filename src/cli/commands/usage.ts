import * as path from 'node:path';
import { displayPath } from '../../load/source';
import { buildUsage } from '../../usage/build';
import { formatUsageFile, type UsageFile } from '../../usage/file';
import { listSources, SourceError } from '../../usage/sources';
import { readUsersFile, UsersFileError } from '../../usage/users';
import { writeFileAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LISTED = 10;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(u: UsageFile, shown: string): string {
  const users = new Set(u.lastUse.map((e) => e.user)).size;
  const { users: uu, roles } = u.unmatched;
  return `read ${plural(u.sources.files, 'file')}, ${plural(u.sources.records, 'record')}` +
    `${u.since ? ` (events before ${u.since} skipped)` : ''}: ${plural(u.sources.used, 'use')} by ${plural(users, 'user')}, ` +
    `${plural(u.lastUse.length, 'last use')} by (user, account, permission set), ` +
    `latest event ${u.until ?? 'none'}; unmatched: ${plural(uu.length, 'user')}, ${plural(roles.length, 'role')}; wrote ${shown}\n`;
}

function unmatchedReport(u: UsageFile, usersShown: string): string {
  let out = '';
  const { users, roles } = u.unmatched;
  if (users.length > 0) {
    const events = users.reduce((s, x) => s + x.events, 0);
    out += `usage: ${plural(events, 'event')} by ${plural(users.length, 'user')} not in ${usersShown}: ` +
      `${users.slice(0, LISTED).map((x) => `${x.user} (${x.events})`).join(', ')}${users.length > LISTED ? ', …' : ''}\n`;
  }
  if (roles.length > 0) {
    const events = roles.reduce((s, x) => s + x.events, 0);
    out += `usage: ${plural(events, 'event')} of ${plural(roles.length, 'role')} not of the form AWSReservedSSO_<permission set>_<suffix>: ` +
      `${roles.slice(0, LISTED).map((x) => `${x.accountId} ${x.roleName} (${x.events})`).join(', ')}${roles.length > LISTED ? ', …' : ''}\n`;
  }
  return out;
}

function options(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    ...HELP_OPTION, cloudtrail: { type: 'string', multiple: true }, since: { type: 'string' },
    users: { type: 'string' }, out: { type: 'string', short: 'o' },
  }, true);
  const paths = [...(values.cloudtrail ?? []), ...positionals];
  if (values.cloudtrail === undefined || paths.length === 0) throw new UsageError('--cloudtrail PATH is required');
  if (values.users === undefined) throw new UsageError('--users FILE is required (aws identitystore list-users output)');
  if (values.out === undefined) throw new UsageError('--out FILE is required');
  if (values.since !== undefined && (!DAY.test(values.since) || Number.isNaN(Date.parse(values.since)))) {
    throw new UsageError(`--since must be a day (YYYY-MM-DD); got "${values.since}"`);
  }
  return { paths, users: values.users, out: values.out, since: values.since };
}

async function runUsage(args: string[], io: Io): Promise<number> {
  const o = options(args);
  const { files, missing } = listSources(o.paths.map((p) => path.resolve(io.cwd, p)));
  if (missing.length > 0) throw new UsageError(`--cloudtrail ${displayPath(io.cwd, missing[0]!)}: no such file or directory`);
  const usersShown = displayPath(io.cwd, path.resolve(io.cwd, o.users));
  try {
    const users = readUsersFile(path.resolve(io.cwd, o.users), usersShown);
    const shownFiles = files.map((file) => ({ file, shown: displayPath(io.cwd, file) }));
    const usage = await buildUsage({ files: shownFiles, users, since: o.since, now: io.now() });
    const out = path.resolve(io.cwd, o.out);
    writeFileAtomic(out, formatUsageFile(usage));
    io.stderr(unmatchedReport(usage, usersShown));
    io.stdout(summary(usage, displayPath(io.cwd, out)));
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof SourceError) && !(e instanceof UsersFileError)) throw e;
    io.stderr(`${e.message}\nnothing written\n`);
    return EXIT_FINDINGS;
  }
}

export const usage: Command = {
  name: 'usage',
  summary: 'read CloudTrail (S3 logs, Lake or Athena results) and write the last use of each permission set by each user',
  usage: `accessctl usage --cloudtrail PATH… --users FILE --out FILE [--since YYYY-MM-DD]

Reads CloudTrail as delivered to S3 (.json.gz files, directories walked
recursively), plain .json files of the same shape, CloudTrail Lake query
results (JSON) and Athena query results (CSV), streaming, and writes FILE: the
last use of each (user, account, permission set), which who-can, review and
unused read with --usage FILE. A use is an IAM Identity Center sign-in
(GetRoleCredentials, Federate), an AssumeRoleWithSAML into an
AWSReservedSSO_<permission set>_<suffix> role, or any call made in a session of
such a role. --users is the output of aws identitystore list-users: it maps
user ids (and user names) to logins. Users and roles that cannot be matched are
listed in the file and on stderr. --since skips events before that day. Bad
input (a truncated gzip, malformed JSON, a sign-in without its fields) is an
error naming the file and record; then nothing is written.`,
  run: runUsage,
};
