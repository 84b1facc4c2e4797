import { effectiveAccess, utcDate, type AccessRow } from '../../model/access';
import { foldLogin } from '../../model/logins';
import type { AccessModel } from '../../model/types';
import { ACCESS_FORMATS, ACCESS_REPORTERS } from '../../reporters/access';
import { suggest } from '../../util/suggest';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { loadOrReport } from '../load-or-report';

export const whoCan: Command = {
  name: 'who-can',
  summary: 'list effective AWS access: who holds which permission set on which account, and through which group',
  usage: `accessctl who-can [--dir DIR] [--user LOGIN] [--group NAME] [--account NAME|ID]
                  [--permission-set NAME] [--format ${ACCESS_FORMATS.join('|')}]

Prints one row per (user, account, permission set) with the groups it comes
through. Members whose expires date is before today (UTC) have no access.
Each filter may be repeated; rows must match one value of every filter given.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      format: { type: 'string', short: 'f' },
      user: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      account: { type: 'string', multiple: true },
      'permission-set': { type: 'string', multiple: true },
    });
    const format = choice('format', values.format, ACCESS_FORMATS, 'text');
    const model = loadOrReport(values.dir, io);
    if (!model) return EXIT_FINDINGS;
    const filter = buildFilter(model, {
      users: values.user ?? [],
      groups: values.group ?? [],
      accounts: values.account ?? [],
      permissionSets: values['permission-set'] ?? [],
    });
    const rows = effectiveAccess(model, utcDate(io.now())).filter(filter);
    io.stdout(ACCESS_REPORTERS[format](rows));
    return EXIT_OK;
  },
};

interface Filters {
  users: string[];
  groups: string[];
  accounts: string[];
  permissionSets: string[];
}

/** A row predicate; names that the model does not declare are usage errors with a suggestion. */
export function buildFilter(model: AccessModel, f: Filters): (row: AccessRow) => boolean {
  const known = (flag: string, values: string[], names: string[]): Set<string> => {
    for (const v of values) {
      if (!names.includes(v)) {
        const [best] = suggest(v, names);
        throw new UsageError(`--${flag}: no ${flag.replace('-', ' ')} "${v}"${best ? ` (did you mean "${best}"?)` : ''}`);
      }
    }
    return new Set(values);
  };
  const groups = known('group', f.groups, model.groups.map((g) => g.name));
  const permissionSets = known('permission-set', f.permissionSets, model.permissionSets.map((p) => p.name));
  const accounts = known('account', f.accounts, model.accounts.flatMap((a) => [a.name, a.id]));
  const users = new Set(f.users.map(foldLogin));
  return (r) =>
    (users.size === 0 || users.has(foldLogin(r.user))) &&
    (groups.size === 0 || r.via.some((g) => groups.has(g))) &&
    (accounts.size === 0 || accounts.has(r.account) || accounts.has(r.accountId)) &&
    (permissionSets.size === 0 || permissionSets.has(r.permissionSet));
}
