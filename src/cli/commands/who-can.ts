import { diag, fileStart, hasErrors } from '../../diagnostics';
import { effectiveAccess, knownPeople, provisionedUsers, type AccessRow, type AccessScope } from '../../model/access';
import { loadAccessDir } from '../../model/load';
import { foldLogin } from '../../model/logins';
import type { AccessModel } from '../../model/types';
import { ACCESS_FORMATS, ACCESS_REPORTERS, type ProvisioningLine } from '../../reporters/access';
import { suggest } from '../../util/suggest';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';
import { Git } from '../../git/git';
import { loadRevision } from '../../diff/revisions';
import { ruleAwareValidator } from '../../policy-schema';
import { parseDateArg, instantOf, looksLikeDate } from '../../util/dates';
import { isShallow, UNSHALLOW_HINT } from '../../git/history';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { loadOrReport, VERBOSE_OPTION } from '../load-or-report';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate, type Decision } from '../../iam/evaluate';
import { PolicyExportError, readPolicyExports, type PolicyExports } from '../../iam/exports';
import { displayPath } from '../../load/source';
import { policiesOf } from '../../iam/permission-set';
import { catalogueAction, catalogueVersion, serviceActions } from '../../aws/action-catalogue';
import { didYouMean } from '../../util/suggest';
import type { RowDecision, WhoCanRow } from '../../reporters/access';
import { readUsage, withUsage } from '../../usage/rows';

export const whoCan: Command = {
  name: 'who-can',
  summary: 'list effective AWS access: who holds which permission set on which account, and through which group',
  usage: `accessctl who-can [--dir DIR] [--user LOGIN] [--group NAME] [--account NAME|ID]
                  [--permission-set NAME] [--at REF|DATE]
                  [--action ACTION [--resource ARN] [--policy-exports DIR]]
                  [--usage FILE] [--format ${ACCESS_FORMATS.join('|')}] [--verbose]

Prints one row per (user, account, permission set) with the groups it comes
through. Members whose expires date is before today (UTC) have no access.
Each filter may be repeated; rows must match one value of every filter given.
A user is anyone the files name (member, owner, people.yaml). A value the
files do not name is a usage error (exit 2) with "did you mean".
--at REF reads DIR at a git revision (expiry as of its commit date); --at DATE
(YYYY-MM-DD or an ISO date-time, UTC) reads the last commit of the default
line made by then, with expiry as of that date. A name DIR declares now but
did not then is no error: stderr says it did not exist at that revision, it
matches nothing, and the exit code is 0, as for any empty result. Warnings in
the files are counted on stderr; --verbose lists them.
--action service:Name (such as s3:GetObject; no wildcards) keeps the rows
whose permission set allows the action on --resource ARN (default *: every
resource), allows it only under conditions, or might allow it through a
customer managed policy whose document is not known (decision allowed,
conditional or unknown), and says which policy statement decides it. Denied
and not-allowed rows are left out. It combines with the other filters. See
docs/permissions.md for what the evaluator knows.
--policy-exports DIR (with --action) reads customer managed policy documents
(DIR/iam/ACCOUNT.json) and service control policies (DIR/organizations/,
DIR/parents/) exported with the AWS CLI as docs/import.md shows, and
evaluates each permission set per account with them. A bad export is an
error (exit 1) naming the file and the JSON path.
--usage FILE (written by accessctl usage from CloudTrail) adds each row's
last use: text a LAST USED column ("2026-11-20 (3 days)", or "never since
DAY", the first day the file covers); json lastUsed (an ISO instant or null)
and lastUsedEvent ({eventId, eventName} or null); csv the columns lastUsed
and lastUsedEvent. Days count to now. A bad file is an error (exit 1) naming
it and the JSON path. See docs/usage.md.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      format: { type: 'string', short: 'f' },
      user: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      account: { type: 'string', multiple: true },
      'permission-set': { type: 'string', multiple: true },
      at: { type: 'string' },
      action: { type: 'string' },
      resource: { type: 'string' },
      'policy-exports': { type: 'string' },
      usage: { type: 'string' },
      ...VERBOSE_OPTION,
    });
    const format = choice('format', values.format, ACCESS_FORMATS, 'text');
    const request = actionRequest(values.action, values.resource, io);
    const exports = policyExportsOf(values['policy-exports'], request !== undefined, io);
    const usage = values.usage === undefined ? undefined : readUsage(values.usage, io);
    if (exports === null || usage === null) return EXIT_FINDINGS;
    let model: AccessModel | undefined;
    let today = instantOf(io.now());
    let at: string | undefined;
    if (values.at === undefined) model = loadOrReport(values.dir, io, !values.verbose);
    else {
      const past = loadAt(values.dir, values.at, io);
      if (!past) return EXIT_FINDINGS;
      ({ model, today } = past);
      at = values.at;
    }
    if (!model) return EXIT_FINDINGS;
    const asked: Filters = {
      user: values.user ?? [],
      group: values.group ?? [],
      account: values.account ?? [],
      'permission-set': values['permission-set'] ?? [],
    };
    // At a past revision, a name the files declare now but did not then is no typo: it did not exist yet.
    const { filters, absent } = checkFilters(model, asked, at === undefined ? {} : { where: ` at ${at}`, now: () => currentModel(values.dir, io.cwd) });
    for (const a of absent) io.stderr(`${a.flag === 'user'
      ? `user "${a.value}" was in no access file`
      : `${a.flag.replace('-', ' ')} "${a.value}" did not exist`} ` +
        `at ${at}: no access matches ${a.flag === 'user' ? 'them' : 'it'} then\n`);
    // A filter whose every value did not exist matches nothing (not everything).
    const none = FLAGS.some((f) => asked[f].length > 0 && filters[f].length === 0);
    const rows = none ? [] : effectiveAccess(
      model,
      today,
      scopeOf(model, filters.user, filters.account, filters['permission-set']),
    ).filter(buildFilter(filters));
    const decided = request ? decide(model, rows, request, exports, io) : rows;
    io.stdout(ACCESS_REPORTERS[format](usage ? withUsage(decided, usage) : decided, provisioningOf(model, today, asked.user)));
    return EXIT_OK;
  },
};

/** A concrete IAM action: service (letters, digits, hyphens), a colon, a name of letters and digits. */
const ACTION = /^[A-Za-z0-9][A-Za-z0-9-]*:[A-Za-z0-9]+$/;

/**
 * --action and --resource, checked: undefined without --action; a usage error
 * for a malformed value. An action the shipped catalogue does not know (a
 * typo, or one newer than the catalogue) is answered as written, with a
 * warning on stderr, since every decision for it would otherwise read as a
 * plain "nobody can".
 */
export function actionRequest(action: string | undefined, resource: string | undefined, io: Io): { action: string; resource: string } | undefined {
  const request = checkedRequest(action, resource);
  if (request !== undefined && catalogueAction(request.action) === undefined) {
    const service = request.action.slice(0, request.action.indexOf(':'));
    const known = serviceActions(service).map((a) => a.action);
    io.stderr(`warning: --action ${request.action} is not in the IAM action catalogue (${catalogueVersion()}), answered as written` +
      `${known.length > 0 ? didYouMean(request.action, known) : `; no service "${service}" is known`}\n`);
  }
  return request;
}

function checkedRequest(action: string | undefined, resource: string | undefined): { action: string; resource: string } | undefined {
  if (action === undefined) {
    if (resource !== undefined) throw new UsageError('--resource needs --action (the action to ask about on that resource)');
    return undefined;
  }
  if (!ACTION.test(action)) throw new UsageError(`--action ${action}: not an IAM action; give one as service:Name, such as s3:GetObject (letters and digits, no wildcards)`);
  const arn = resource ?? '*';
  if (arn !== '*' && !/^arn:[^:\s]+:[^:\s]*:[^:\s]*:[^:\s]*:\S+$/.test(arn)) {
    throw new UsageError(`--resource ${arn}: not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or *`);
  }
  return { action, resource: arn };
}

/**
 * --policy-exports DIR, read: undefined without it, null (the finding on
 * stderr) when an export is bad; a usage error without --action or for a
 * path that is not a directory.
 */
function policyExportsOf(dir: string | undefined, asked: boolean, io: Io): PolicyExports | undefined | null {
  if (dir === undefined) return undefined;
  if (!asked) throw new UsageError('--policy-exports needs --action (the action to evaluate with the exported policies)');
  const abs = path.resolve(io.cwd, dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UsageError(`--policy-exports: ${displayPath(io.cwd, abs)} is not a directory`);
  try {
    return readPolicyExports(abs, displayPath(io.cwd, abs));
  } catch (e) {
    if (!(e instanceof PolicyExportError)) throw e;
    io.stderr(formatDiagnosticsText([diag(e.code, fileStart(e.file), e.message, e.hint)]));
    return null;
  }
}

/** What a row keeps of a decision: allowed, conditional and unknown ones; undefined for the others. */
function kept(d: Decision): RowDecision | undefined {
  if (d.decision !== 'allowed' && d.decision !== 'conditional' && d.decision !== 'unknown') return undefined;
  return {
    decision: d.decision,
    ...(d.by !== undefined ? { by: d.by } : {}),
    ...(d.conditions !== undefined ? { conditions: d.conditions } : {}),
    ...(d.unknownPolicies !== undefined ? { unknownPolicies: d.unknownPolicies } : {}),
  };
}

/**
 * The rows whose permission set allows the action (allowed, conditional or
 * unknown), each with its decision; denied and not-allowed rows are dropped.
 * Each permission set is evaluated once; with policy exports, once per
 * account (customer managed documents and SCPs differ between accounts), and
 * an account whose SCPs the exports lack is named on stderr.
 */
function decide(
  model: AccessModel,
  rows: readonly WhoCanRow[],
  request: { action: string; resource: string },
  exports: PolicyExports | undefined,
  io: Io,
): WhoCanRow[] {
  const sets = new Map(model.permissionSets.map((p) => [p.name, p]));
  const cache = new Map<string, RowDecision | undefined>();
  const gaps = new Set<string>();
  const decisionOf = (r: WhoCanRow): RowDecision | undefined => {
    const key = exports ? `${r.permissionSet}\n${r.accountId}` : r.permissionSet;
    if (cache.has(key)) return cache.get(key);
    const ps = sets.get(r.permissionSet);
    const gap = exports?.scpGap(r.accountId);
    if (gap !== undefined && !gaps.has(r.accountId)) {
      gaps.add(r.accountId);
      io.stderr(`SCPs are not considered on account ${r.account} (${r.accountId}): ${gap}\n`);
    }
    const d = ps ? kept(evaluate(request, policiesOf(ps), exports?.optionsFor(r.accountId))) : undefined;
    cache.set(key, d);
    return d;
  };
  const out: WhoCanRow[] = [];
  for (const r of rows) {
    const decision = decisionOf(r);
    if (decision !== undefined) out.push({ ...r, decision });
  }
  return out;
}

/** The model as it was at a git ref or a past date, with the day its expiry is judged on. */
/** For each --user: whether the AWS app's assignment group holds them, that is whether SCIM provisions them. */
function provisioningOf(model: AccessModel, today: string, users: readonly string[]): ProvisioningLine[] | undefined {
  const app = model.settings.okta.apps.find((a) => a.kind === 'aws');
  if (users.length === 0 || !app || app.kind !== 'aws') return undefined;
  const provisioned = provisionedUsers(model, today);
  return users.map((u) => {
    const p = provisioned.get(foldLogin(u));
    return { user: p?.login ?? u, provisioned: p !== undefined, assignmentGroup: app.assignmentGroup, groups: p?.groups ?? [] };
  });
}

function loadAt(dir: string, at: string, io: Io): { model: AccessModel; today: string } | undefined {
  const date = parseDateArg(at);
  if (!date && looksLikeDate(at)) throw new UsageError(`--at ${at}: not a date (YYYY-MM-DD or an ISO 8601 date-time such as 2026-03-01T12:00:00Z)`);
  const git = Git.forDir(io.cwd, dir);
  if (!git.isRepository()) throw new UsageError(`--at needs git history: ${git.shown(dir)} is not in a git repository`);
  let ref = at;
  let today: string;
  if (date) {
    const commit = git.text(['rev-list', '-1', '--first-parent', `--before=${date.end}`, 'HEAD']);
    if (commit === '' && isShallow(git)) {
      io.stderr(`accessctl: this is a shallow clone, so the history is cut short and may not reach ${at}: ${UNSHALLOW_HINT}\n`);
      return undefined;
    }
    if (commit === '') throw new UsageError(`--at ${at}: the history starts after that date`);
    ref = commit;
    // A day is judged from its first instant (access that ends during it still counts); a time, at that instant.
    today = at.includes('T') ? date.end : date.end.slice(0, 10);
  } else {
    try {
      today = instantOf(new Date(git.text(['show', '-s', '--format=%cI', git.resolve(at)])));
    } catch (e) {
      throw new UsageError(`--at ${at}: ${(e as Error).message}`);
    }
  }
  const rev = loadRevision(git, ref, dir, ruleAwareValidator());
  io.stderr(`access as of ${date ? at : `${at} (${rev.commit?.slice(0, 12)})`}: commit ${rev.commit?.slice(0, 12)}, expiry judged on ${today}\n`);
  if (!rev.model) {
    io.stderr(formatDiagnosticsText(rev.diagnostics));
    io.stderr(`${dir} at ${rev.commit?.slice(0, 12)}: ${rev.sources.length === 0 ? 'no access files' : formatCounts(rev.diagnostics)}\n`);
    return undefined;
  }
  return { model: rev.model, today };
}

const FLAGS = ['user', 'group', 'account', 'permission-set'] as const;
type Flag = (typeof FLAGS)[number];
type Filters = Record<Flag, readonly string[]>;

/** What each filter is checked against: the names a model declares (people: members, owners and people.yaml). */
const NAMES: Record<Flag, (m: AccessModel) => string[]> = {
  user: (m) => [...knownPeople(m).values()],
  group: (m) => m.groups.map((g) => g.name),
  account: (m) => m.accounts.flatMap((a) => [a.name, a.id]),
  'permission-set': (m) => m.permissionSets.map((p) => p.name),
};
const FOLD: Partial<Record<Flag, (s: string) => string>> = { user: foldLogin };

/**
 * The values of a filter option as a set; a value that is not one of `names`
 * is a usage error with a suggestion. `fold` compares names (logins) folded;
 * `where` ends the message (" at HEAD").
 */
export function knownValues(flag: string, values: readonly string[], names: readonly string[], where = '', fold?: (s: string) => string): Set<string> {
  const key = fold ?? ((s: string) => s);
  const keys = new Set(names.map(key));
  for (const v of values) if (!keys.has(key(v))) throw unknownName(flag, v, names, where);
  return new Set(values.map(key));
}

function unknownName(flag: string, value: string, names: readonly string[], where: string): UsageError {
  const [best] = suggest(value, [...new Set(names)]);
  return new UsageError(`--${flag}: no ${flag.replace('-', ' ')} "${value}"${where}${best ? ` (did you mean "${best}"?)` : ''}`);
}

/**
 * Checks every filter value against the model. A value the model does not
 * name is a usage error with a suggestion, unless `now` (the files as they are
 * now, for --at) names it: then it is `absent`, left out of the filters, and
 * the caller says it did not exist at that revision.
 */
function checkFilters(
  model: AccessModel,
  asked: Filters,
  at: { where?: string; now?: () => AccessModel | undefined },
): { filters: Filters; absent: Array<{ flag: Flag; value: string }> } {
  const filters = { ...asked };
  const absent: Array<{ flag: Flag; value: string }> = [];
  let current: AccessModel | undefined | null = null;
  for (const flag of FLAGS) {
    if (asked[flag].length === 0) continue;
    const key = FOLD[flag] ?? ((s: string) => s);
    const names = NAMES[flag](model);
    const known = new Set(names.map(key));
    const kept: string[] = [];
    for (const v of asked[flag]) {
      if (known.has(key(v))) {
        kept.push(v);
        continue;
      }
      if (current === null) current = at.now?.();
      const later = current ? NAMES[flag](current) : [];
      if (!later.some((n) => key(n) === key(v))) throw unknownName(flag, v, [...names, ...later], at.where ?? '');
      absent.push({ flag, value: v });
    }
    filters[flag] = kept;
  }
  return { filters, absent };
}

/** A row predicate over filters whose names checkFilters accepted. */
function buildFilter(f: Filters): (row: AccessRow) => boolean {
  const users = new Set(f.user.map(foldLogin));
  const groups = new Set(f.group);
  const accounts = new Set(f.account);
  const permissionSets = new Set(f['permission-set']);
  return (r) =>
    (users.size === 0 || users.has(foldLogin(r.user))) &&
    (groups.size === 0 || r.via.some((g) => groups.has(g))) &&
    (accounts.size === 0 || accounts.has(r.account) || accounts.has(r.accountId)) &&
    (permissionSets.size === 0 || permissionSets.has(r.permissionSet));
}

/** The access files as they are now, when they load without error (for --at: did a name exist later?). */
function currentModel(dir: string, cwd: string): AccessModel | undefined {
  const { model, diagnostics } = loadAccessDir(dir, cwd, { validator: ruleAwareValidator() });
  return model && !hasErrors(diagnostics) ? model : undefined;
}

/** The filters that are properties of a row, applied while rows are built (the group filter needs every row's via). */
function scopeOf(model: AccessModel, users: readonly string[], accounts: readonly string[], permissionSets: readonly string[]): AccessScope {
  const ids = new Set(model.accounts.filter((a) => accounts.includes(a.name) || accounts.includes(a.id)).map((a) => a.id));
  return {
    ...(users.length > 0 ? { users: new Set(users.map(foldLogin)) } : {}),
    ...(accounts.length > 0 ? { accountIds: ids } : {}),
    ...(permissionSets.length > 0 ? { permissionSets: new Set(permissionSets) } : {}),
  };
}
