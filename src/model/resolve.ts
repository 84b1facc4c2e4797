import { lookupManagedPolicy, partitionMismatch, partitionOf } from '../aws/managed-policies';
import { diag, cmp, hasErrors, type Diagnostic, type Position } from '../diagnostics';
import { readEmbeddedPolicyJson, readPolicyYaml } from '../iam/read';
import type { YamlFile } from '../load/parse';
import type { AccountsDocument } from '../schema/accounts';
import type { AccountSelectorEntry, GroupDocument } from '../schema/group';
import type { ImportsDocument } from '../schema/imports';
import type { PeopleDocument } from '../schema/people';
import type { PermissionSetDocument, PolicyDocument } from '../schema/permission-set';
import type { PolicyFileDocument } from '../schema/policy';
import { OKTA_BASE_DOMAINS, type SettingsDocument } from '../schema/settings';
import type { SchemaValidator } from '../schema/validate';
import { durationSeconds } from '../util/duration';
import { deepFreeze } from '../util/freeze';
import { didYouMean } from '../util/suggest';
import { checkPolicyNames } from '../approvals/options';
import { foldLogin } from './logins';
import { describeSelector, matchAccounts } from './selectors';
import {
  type ImportEntry,
  assignmentKey,
  type AccessModel,
  type Account,
  type AccountSelector,
  type App,
  type Assignment,
  type CustomerManagedPolicyRef,
  type Grant,
  type Group,
  type ManagedPolicyAttachment,
  type Member,
  type PermissionSet,
  type PermissionsBoundary,
  type Person,
  type BreakGlassPolicy,
  type Policy,
  type RuleSetting,
  type Waiver,
  type Settings,
  type Shard,
} from './types';

/** A file that passed its schema, with its data typed. */
export interface Typed<T> {
  readonly file: YamlFile;
  readonly data: T;
}

/**
 * Names declared in files that failed validation. References to them are not
 * reported again, so one broken file does not bury the real error under a
 * cascade of "unknown …" errors; `all` means the names could not be read at all.
 */
export interface Partial {
  readonly names: Set<string>;
  all: boolean;
}

export interface ResolveInput {
  readonly settings?: Typed<SettingsDocument>;
  readonly accounts: ReadonlyArray<Typed<AccountsDocument>>;
  readonly people?: Typed<PeopleDocument>;
  readonly policy?: Typed<PolicyFileDocument>;
  /** imports.yaml and any files under imports/ (a large org's import is split to stay under the file size limit). */
  readonly imports?: ReadonlyArray<Typed<ImportsDocument>>;
  readonly permissionSets: ReadonlyArray<Typed<PermissionSetDocument>>;
  readonly groups: ReadonlyArray<Typed<GroupDocument>>;
  readonly broken: {
    readonly settings: boolean;
    readonly people: boolean;
    readonly accounts: Partial;
    readonly permissionSets: Partial;
    /** Group files that did not load: policy.yaml may name their groups without an error of its own. */
    readonly groups?: Partial;
  };
}

/** The IAM role inline policy limit, in characters excluding whitespace. */
export const INLINE_POLICY_MAX_CHARS = 10_240;
/** The IAM Identity Center API limit on an inline policy, in bytes. */
export const INLINE_POLICY_MAX_BYTES = 32_768;
export const SESSION_MIN_SECONDS = 3_600;
export const SESSION_MAX_SECONDS = 43_200;
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;
/** IAM Identity Center: groups one permission set may be assigned to in one account (not raisable). */
export const GROUPS_PER_PERMISSION_SET_PER_ACCOUNT = 100;
export const DEFAULT_OKTA_BASE_URL = 'okta.com';
export const DEFAULT_GROUP_PUSH = true;
/** The assignment group of an AWS app whose settings name none. */
export function defaultAssignmentGroup(appKey: string): string {
  return `accessctl-${appKey}-users`;
}
export const DEFAULT_MAX_API_CAPACITY = 50;
/** The longest break-glass grant unless policy.yaml breakGlass.maxHours says otherwise. */
export const BREAK_GLASS_DEFAULT_HOURS = 4;
const RESERVED_GROUP_NAMES = ['administrator', 'awsadministrators'];

/**
 * Cross-checks validated files and builds the AccessModel. Returns the model
 * only when no error was found; warnings come back either way.
 */
export interface Resolved {
  readonly model?: AccessModel;
  readonly diagnostics: Diagnostic[];
  /**
   * Resolves one more group file against this model's accounts, permission
   * sets, people and apps: lets a history walk re-resolve only the groups a
   * commit changed. Cross-group checks (duplicate names) are the caller's.
   */
  readonly resolveGroup?: (file: YamlFile, data: GroupDocument) => { group: Group; diagnostics: Diagnostic[] };
}

export function resolve(input: ResolveInput, validator: SchemaValidator, options: { freeze?: boolean } = {}): Resolved {
  const out: Diagnostic[] = [];
  const at = (f: YamlFile, path: ReadonlyArray<string | number>, target: 'key' | 'value' = 'value'): Position => f.locate(path, target);
  const where = (p: Position): string => `${p.file}:${p.line}`;

  // Settings
  let settings = input.settings ? buildSettings(input.settings) : undefined;
  const awsApps = settings?.okta.apps.filter((a) => a.kind === 'aws') ?? [];
  if (input.settings && awsApps.length > 1) {
    out.push(diag('ACC047', at(input.settings.file, ['okta', 'apps']), `settings declare ${awsApps.length} AWS IAM Identity Center apps (${awsApps.map((a) => a.key).join(', ')}); one is allowed`));
  }
  if (input.settings && settings) out.push(...checkAwsApps(input.settings.file, settings));
  if (input.settings && settings) out.push(...checkOktaDomain(input.settings.file, input.settings.data, settings));
  if (input.settings && settings) out.push(...checkSettingsArns(input.settings.file, settings));

  // Accounts
  const accounts: Account[] = [];
  const accountByName = new Map<string, Account>();
  const accountById = new Map<string, Account>();
  for (const { file, data } of sortByFile(input.accounts)) {
    data.accounts.forEach((a, i) => {
      const source = at(file, ['accounts', i]);
      const account: Account = { name: a.name, id: a.id, ou: a.ou, tags: { ...(a.tags ?? {}) }, source, ...(a.description !== undefined ? { description: a.description } : {}) };
      const sameName = accountByName.get(a.name);
      const sameId = accountById.get(a.id);
      if (sameName) out.push(diag('ACC032', at(file, ['accounts', i, 'name']), `account name "${a.name}" is already declared at ${where(sameName.source)}`));
      if (sameId) out.push(diag('ACC033', at(file, ['accounts', i, 'id']), `account id "${a.id}" is already declared at ${where(sameId.source)} (as "${sameId.name}")`));
      if (sameName || sameId) return;
      accountByName.set(a.name, account);
      accountById.set(a.id, account);
      accounts.push(account);
    });
  }
  accounts.sort((a, b) => cmp(a.name, b.name));

  const accountNames = accounts.map((a) => a.name);
  /** Resolves a list or ou/tags selector at `path` in `file` to account ids, reporting unknown names and empty matches. */
  const resolveSelector = (entry: AccountSelectorEntry, file: YamlFile, path: ReadonlyArray<string | number>, sink: Diagnostic[] = out): { selector: AccountSelector; accountIds: string[] } => {
    const ids = new Set<string>();
    let selector: AccountSelector;
    if (Array.isArray(entry)) {
      selector = { kind: 'list', refs: [...entry] };
      entry.forEach((ref, j) => {
        const byId = /^[0-9]{12}$/.test(ref);
        const account = byId ? accountById.get(ref) : accountByName.get(ref);
        if (account) ids.add(account.id);
        else if (!shadowed(input.broken.accounts, ref)) {
          sink.push(diag('ACC041', at(file, [...path, j]), `unknown ${byId ? 'account id' : 'account'} "${ref}"${didYouMean(ref, byId ? [...accountById.keys()] : accountNames)}`));
        }
      });
    } else {
      const sel = entry as { ou?: string; tags?: Record<string, string> };
      selector = { kind: 'match', ...(sel.ou !== undefined ? { ou: sel.ou } : {}), ...(sel.tags !== undefined ? { tags: { ...sel.tags } } : {}) };
      const matched = matchAccounts(selector, accounts);
      matched.forEach((id) => ids.add(id));
      if (matched.length === 0 && !input.broken.accounts.all && input.broken.accounts.names.size === 0) {
        sink.push(diag('ACC044', at(file, path), `account selector ${describeSelector(selector)} matches no account`, 'check the OU path and tags against accounts.yaml'));
      }
    }
    return { selector, accountIds: [...ids].sort(cmp) };
  };

  // People
  const people: Person[] = [];
  const personByKey = new Map<string, Person>();
  const logins = new LoginSpellings();
  if (input.people) {
    const { file, data } = input.people;
    const byGithub = new Map<string, Person>();
    data.people.forEach((p, i) => {
      const source = at(file, ['people', i]);
      const key = foldLogin(p.login);
      const same = personByKey.get(key);
      if (same) {
        out.push(diag('ACC034', at(file, ['people', i, 'login']), `"${p.login}" is the same Okta login as "${same.login}" at ${where(same.source)}`, 'Okta logins are unique ignoring case and accents'));
        return;
      }
      const person: Person = { login: p.login, source, ...(p.github !== undefined ? { github: p.github } : {}), ...(p.name !== undefined ? { name: p.name } : {}) };
      if (p.github !== undefined) {
        const gh = p.github.toLowerCase();
        const other = byGithub.get(gh);
        if (other) out.push(diag('ACC036', at(file, ['people', i, 'github']), `GitHub handle "${p.github}" is already used by "${other.login}" at ${where(other.source)}`));
        else byGithub.set(gh, person);
      }
      personByKey.set(key, person);
      people.push(person);
      logins.add(p.login, at(file, ['people', i, 'login']), true);
    });
  }
  people.sort((a, b) => cmp(foldLogin(a.login), foldLogin(b.login)));

  // Permission sets
  const permissionSets: PermissionSet[] = [];
  const psByName = new Map<string, PermissionSet>();
  const partition = settings?.aws.partition ?? 'aws';
  /** The region ARNs are checked against (ACC100); unknown while settings.yaml does not load. */
  const region = settings?.aws.region;
  const quota = settings?.aws.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE;
  for (const { file, data } of sortByFile(input.permissionSets)) {
    const same = psByName.get(data.name);
    if (same) {
      out.push(diag('ACC031', at(file, ['name']), `permission set "${data.name}" is already declared at ${where(same.source)}`));
      continue;
    }
    checkFileName(file, data.name, 'permission set', out);

    let sessionSeconds: number | undefined;
    if (data.sessionDuration !== undefined) {
      sessionSeconds = durationSeconds(data.sessionDuration);
      if (sessionSeconds === undefined || sessionSeconds < SESSION_MIN_SECONDS || sessionSeconds > SESSION_MAX_SECONDS) {
        out.push(diag('ACC050', at(file, ['sessionDuration']), `session duration ${data.sessionDuration} is outside PT1H..PT12H`, 'AWS IAM Identity Center accepts 1 to 12 hours'));
      }
    }

    const managedPolicies: ManagedPolicyAttachment[] = [];
    const seenArns = new Map<string, string>();
    (data.managedPolicies ?? []).forEach((ref, i) => {
      const foreign = region !== undefined ? partitionMismatch(ref, region, 'managed policy ARN') : undefined;
      if (foreign) {
        out.push(diag('ACC100', at(file, ['managedPolicies', i]), foreign.message, foreign.hint));
        return;
      }
      const r = lookupManagedPolicy(ref, partition);
      if (!r.ok) {
        out.push(diag(r.reason === 'customer-managed' ? 'ACC055' : 'ACC053', at(file, ['managedPolicies', i]), r.message, r.reason === 'customer-managed' ? 'list it under customerManagedPolicies as {name, path}' : undefined));
        return;
      }
      const dup = seenArns.get(r.policy.arn);
      if (dup !== undefined) {
        out.push(diag('ACC026', at(file, ['managedPolicies', i]), `"${ref}" is the same policy as "${dup}" (${r.policy.arn})`));
        return;
      }
      seenArns.set(r.policy.arn, ref);
      managedPolicies.push({ declared: ref, name: r.policy.name, arn: r.policy.arn });
    });
    managedPolicies.sort((a, b) => cmp(a.arn, b.arn));

    const customerManagedPolicies: CustomerManagedPolicyRef[] = [];
    const seenCustomer = new Set<string>();
    (data.customerManagedPolicies ?? []).forEach((c, i) => {
      const ref = { name: c.name, path: c.path ?? '/' };
      const id = `${ref.path}${ref.name}`;
      if (seenCustomer.has(id)) {
        out.push(diag('ACC026', at(file, ['customerManagedPolicies', i]), `customer managed policy ${id} is listed twice`));
        return;
      }
      seenCustomer.add(id);
      customerManagedPolicies.push(ref);
    });
    customerManagedPolicies.sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name));

    const attached = (data.managedPolicies ?? []).length + (data.customerManagedPolicies ?? []).length;
    if (attached > quota) {
      out.push(diag('ACC052', at(file, [data.managedPolicies ? 'managedPolicies' : 'customerManagedPolicies'], 'key'),
        `permission set "${data.name}" attaches ${attached} managed and customer managed policies; the IAM role quota is ${quota}`,
        quota < 20 ? 'merge policies, or raise the quota with AWS and set aws.managedPoliciesPerRole in settings.yaml' : 'merge policies: 20 is the highest quota AWS grants'));
    }

    let inlinePolicy: PolicyDocument | undefined;
    let inlinePolicyJson: string | undefined;
    if (data.inlinePolicy !== undefined) {
      // One strict reader for both forms: what it accepts reaches AWS as written (src/iam/read.ts).
      const read = typeof data.inlinePolicy === 'string'
        ? readEmbeddedPolicyJson(file, ['inlinePolicy'], data.inlinePolicy, { syntaxCode: 'ACC054', subject: 'inline policy' })
        : readPolicyYaml(file, ['inlinePolicy']);
      const errs = [...read.diagnostics];
      if (typeof data.inlinePolicy === 'string' && read.doc !== undefined) errs.push(...validator.validatePolicyDocument(read.doc, file, ['inlinePolicy']));
      out.push(...errs);
      if (read.doc !== undefined && !hasErrors(errs)) {
        const doc = read.doc;
        inlinePolicy = doc as PolicyDocument;
        inlinePolicyJson = JSON.stringify(doc);
        const chars = inlinePolicyJson.replace(/\s/g, '').length;
        const bytes = Buffer.byteLength(inlinePolicyJson, 'utf8');
        if (chars > INLINE_POLICY_MAX_CHARS || bytes > INLINE_POLICY_MAX_BYTES) {
          out.push(diag('ACC051', at(file, ['inlinePolicy'], 'key'),
            `inline policy has ${chars} characters excluding whitespace; the IAM role limit is ${INLINE_POLICY_MAX_CHARS}`,
            'move statements into a customer managed policy or use AWS managed policies'));
        }
      }
    }

    let permissionsBoundary: PermissionsBoundary | undefined;
    const pb = data.permissionsBoundary;
    const foreignBoundary = pb?.managedPolicy !== undefined && region !== undefined ? partitionMismatch(pb.managedPolicy, region, 'permissions boundary ARN') : undefined;
    if (foreignBoundary) {
      out.push(diag('ACC100', at(file, ['permissionsBoundary', 'managedPolicy']), foreignBoundary.message, foreignBoundary.hint));
    } else if (pb?.managedPolicy !== undefined) {
      const r = lookupManagedPolicy(pb.managedPolicy, partition);
      if (r.ok) permissionsBoundary = { managedPolicyArn: r.policy.arn };
      else out.push(diag(r.reason === 'customer-managed' ? 'ACC055' : 'ACC053', at(file, ['permissionsBoundary', 'managedPolicy']), r.message, r.reason === 'customer-managed' ? 'use permissionsBoundary.customerManagedPolicy: {name, path}' : undefined));
    } else if (pb?.customerManagedPolicy !== undefined) {
      permissionsBoundary = { customerManagedPolicy: { name: pb.customerManagedPolicy.name, path: pb.customerManagedPolicy.path ?? '/' } };
    }

    for (const key of Object.keys(data.tags ?? {})) {
      if (/^aws:/i.test(key)) {
        out.push(diag('ACC101', at(file, ['tags', key], 'key'), `tag key "${key}" starts with "${key.slice(0, 4)}", a prefix AWS reserves for its own tags: IAM Identity Center refuses the permission set when the change is applied`, `rename the tag, such as "${key.slice(4) || 'owner'}"`));
      }
    }

    const ps: PermissionSet = {
      name: data.name,
      managedPolicies,
      customerManagedPolicies,
      tags: { ...(data.tags ?? {}) },
      source: at(file, []),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.sessionDuration !== undefined ? { sessionDuration: data.sessionDuration, sessionDurationSource: at(file, ['sessionDuration']) } : {}),
      ...(data.inlinePolicy !== undefined ? { inlinePolicySource: at(file, ['inlinePolicy'], 'key') } : {}),
      ...(sessionSeconds !== undefined ? { sessionSeconds } : {}),
      ...(data.relayState !== undefined ? { relayState: data.relayState } : {}),
      ...(inlinePolicy !== undefined ? { inlinePolicy, inlinePolicyJson } : {}),
      ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
    };
    psByName.set(ps.name, ps);
    permissionSets.push(ps);
  }
  permissionSets.sort((a, b) => cmp(a.name, b.name));

  // Groups
  const groups: Group[] = [];
  const groupByName = new Map<string, Group>();
  /** Okta compares group names ignoring case (ACC039). */
  const groupByFoldedName = new Map<string, Group>();
  const assignments = new Map<string, { a: Omit<Assignment, 'sources'>; sources: Position[] }>();
  const appKeys = new Set(settings?.okta.apps.map((a) => a.key) ?? []);
  const awsAppKeys = new Set(awsApps.map((a) => a.key));
  const psNames = [...psByName.keys()];
  /** Resolves one group file against the accounts, permission sets, people and apps above; diagnostics go to `sink`. */
  const resolveOneGroup = (file: YamlFile, data: GroupDocument, sink: Diagnostic[]): Group => {
    const owners = (data.owners ?? []).map((login, i) => ({ login, source: at(file, ['owners', i]) }));
    owners.forEach(({ login: o }, i) => {
      if (input.people && !input.broken.people && !personByKey.has(foldLogin(o))) {
        sink.push(diag('ACC043', at(file, ['owners', i]), `owner "${o}" is not in people.yaml${didYouMean(o, people.map((p) => p.login))}`, 'add the person to people.yaml so the owner can be mapped to a reviewer'));
      }
    });

    const members: Member[] = [];
    const memberByKey = new Map<string, Member>();
    (data.members ?? []).forEach((m, i) => {
      const entry = typeof m === 'string' ? { user: m } : m;
      const source = at(file, ['members', i]);
      const key = foldLogin(entry.user);
      const dup = memberByKey.get(key);
      if (dup) {
        sink.push(diag('ACC035', source, `"${entry.user}" is already a member of "${data.name}" at ${where(dup.source)}`));
        return;
      }
      const member: Member = {
        login: entry.user,
        key,
        source,
        ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
        ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
        ...(entry.breakGlass === true ? { breakGlass: true } : {}),
      };
      memberByKey.set(key, member);
      members.push(member);
    });
    members.sort((a, b) => cmp(a.key, b.key) || cmp(a.login, b.login));

    const apps = [...(data.apps ?? [])];
    if (input.settings && !input.broken.settings) {
      apps.forEach((k, i) => {
        if (!appKeys.has(k)) sink.push(diag('ACC042', at(file, ['apps', i]), `unknown app "${k}"${didYouMean(k, appKeys)}`, `apps declared in settings.yaml: ${[...appKeys].join(', ') || 'none'}`));
      });
    }
    apps.sort(cmp);
    const pushedToAws = apps.some((k) => awsAppKeys.has(k));
    for (const app of awsApps) {
      if (app.kind === 'aws' && app.assignmentGroup.toLowerCase() === data.name.toLowerCase()) {
        sink.push(diag('ACC045', at(file, ['name']), `"${data.name}" is the name of the assignment group of the AWS app "${app.key}" (${where(app.assignmentGroupSource)}): accessctl creates that group, fills it with everyone in a group pushed to AWS and assigns it to the app`, `rename this group, or set okta.apps.${app.key}.assignmentGroup in settings.yaml to another name`));
      }
    }
    if (pushedToAws && RESERVED_GROUP_NAMES.includes(data.name.toLowerCase())) {
      sink.push(diag('ACC046', at(file, ['name']), `"${data.name}" is a group name the AWS Identity Store reserves`));
    }

    const grants: Grant[] = [];
    (data.aws ?? []).forEach((g, i) => {
      if (!psByName.has(g.permissionSet) && !shadowed(input.broken.permissionSets, g.permissionSet)) {
        sink.push(diag('ACC040', at(file, ['aws', i, 'permissionSet']), `unknown permission set "${g.permissionSet}"${didYouMean(g.permissionSet, psNames)}`));
      }
      const { selector, accountIds } = resolveSelector(g.accounts, file, ['aws', i, 'accounts'], sink);
      grants.push({ permissionSet: g.permissionSet, selector, accountIds, source: at(file, ['aws', i]) });
    });
    return {
      name: data.name,
      owners,
      mode: data.mode,
      members,
      apps,
      grants,
      pushedToAws,
      source: at(file, []),
      ...(data.description !== undefined ? { description: data.description } : {}),
    };
  };

  for (const { file, data } of sortByFile(input.groups)) {
    const same = groupByName.get(data.name);
    if (same) {
      out.push(diag('ACC030', at(file, ['name']), `group "${data.name}" is already declared at ${where(same.source)}`));
      continue;
    }
    const sameFolded = groupByFoldedName.get(data.name.toLowerCase());
    if (sameFolded) {
      out.push(diag('ACC039', at(file, ['name']), `group "${data.name}" is the same Okta group name as "${sameFolded.name}" at ${where(sameFolded.source)}`, 'Okta group names are unique ignoring case: rename one of the groups'));
      continue;
    }
    checkFileName(file, data.name, 'group', out);
    const group = resolveOneGroup(file, data, out);
    group.owners.forEach((o) => logins.add(o.login, o.source, false));
    group.members.forEach((m) => logins.add(m.login, m.source, false));
    for (const gr of group.grants) {
      for (const id of gr.accountIds) {
        const key = assignmentKey(group.name, gr.permissionSet, id);
        const existing = assignments.get(key);
        if (existing) existing.sources.push(gr.source);
        else assignments.set(key, { a: { key, group: group.name, permissionSet: gr.permissionSet, accountId: id, accountName: accountById.get(id)!.name }, sources: [gr.source] });
      }
    }
    groupByName.set(group.name, group);
    groupByFoldedName.set(group.name.toLowerCase(), group);
    groups.push(group);
  }
  groups.sort((a, b) => cmp(a.name, b.name));
  out.push(...checkGroupsPerPermissionSet(assignments.values()));

  // AWS stack shards: each account goes to the first shard that selects it.
  if (settings && input.settings) {
    const taken = new Map<string, string>();
    const seen = new Set<string>();
    const shards: Shard[] = [];
    (input.settings.data.stacks?.aws?.shards ?? []).forEach((sh, i) => {
      if (seen.has(sh.name)) {
        out.push(diag('ACC026', at(input.settings!.file, ['stacks', 'aws', 'shards', i, 'name']), `shard "${sh.name}" is declared twice`));
        return;
      }
      seen.add(sh.name);
      const { selector, accountIds } = resolveSelector(sh.accounts, input.settings!.file, ['stacks', 'aws', 'shards', i, 'accounts']);
      const own = accountIds.filter((id) => !taken.has(id));
      own.forEach((id) => taken.set(id, sh.name));
      shards.push({ name: sh.name, selector, accountIds: own });
    });
    settings = { ...settings, shards };
  }

  out.push(...logins.inconsistencies());

  const policy = buildPolicy(input.policy);
  if (region !== undefined) out.push(...checkImportArns(input.imports ?? [], region));

  if (out.some((d) => d.severity === 'error') || !settings) return { diagnostics: out };
  // Imports: existing objects to adopt, one entry per resource instance.
  const imports: ImportEntry[] = [];
  const seen = new Map<string, Position>();
  for (const { file, data } of input.imports ?? []) {
    data.imports.forEach((e, i) => {
      const source = at(file, ['imports', i]);
      const k = `${e.resource}\u0000${e.key}`;
      const first = seen.get(k);
      if (first) {
        out.push(diag('ACC090', at(file, ['imports', i, 'key']), `${e.resource} "${e.key}" is already imported at ${where(first)}`, 'keep one entry per resource instance'));
        return;
      }
      seen.set(k, source);
      imports.push({ resource: e.resource, key: e.key, id: e.id, source });
    });
  }
  // The AWS app declared a second time as an app managed elsewhere would let groups be assigned to it
  // (apps: [<that key>]) while they are pushed: the one thing Okta does not support.
  for (const saml of imports.filter((e) => e.resource === 'okta_app_saml')) {
    for (const app of settings.okta.apps) {
      if (app.kind === 'existing' && app.id === saml.id && input.settings) {
        out.push(diag('ACC045', at(input.settings.file, ['okta', 'apps', app.key, 'id']), `app "${app.key}" has the id of the AWS IAM Identity Center app (imported at ${where(saml.source)}): groups assigned through it would be both assigned to the AWS app and pushed to it`, `remove okta.apps.${app.key}: groups reach AWS with apps: [${saml.key}], which pushes them and assigns their members through the assignment group`));
      }
    }
  }

  const model: AccessModel = {
    settings,
    accounts,
    people,
    permissionSets,
    groups,
    assignments: [...assignments.values()].map(({ a, sources }) => ({ ...a, sources })).sort((x, y) => cmp(x.key, y.key)),
    policy,
    imports,
  };
  if (input.policy && !input.broken.people) out.push(...checkPolicyNames(input.policy.file, model, input.people !== undefined, (name) => input.broken.groups !== undefined && shadowed(input.broken.groups, name)));
  const resolveGroup = (file: YamlFile, data: GroupDocument): { group: Group; diagnostics: Diagnostic[] } => {
    const sink: Diagnostic[] = [];
    return { group: resolveOneGroup(file, data, sink), diagnostics: sink };
  };
  return { model: options.freeze === false ? model : deepFreeze(model), diagnostics: out, resolveGroup };
}

/**
 * IAM Identity Center assigns a permission set in one account to at most 100
 * groups (ACC102), across every grant of every group file. The error is at
 * the grant of the 101st group in name order.
 */
function checkGroupsPerPermissionSet(assignments: Iterable<{ a: Omit<Assignment, 'sources'>; sources: Position[] }>): Diagnostic[] {
  const byPair = new Map<string, Array<{ a: Omit<Assignment, 'sources'>; at: Position }>>();
  for (const { a, sources } of assignments) {
    const k = `${a.permissionSet}\u0000${a.accountId}`;
    const list = byPair.get(k);
    if (list) list.push({ a, at: sources[0]! });
    else byPair.set(k, [{ a, at: sources[0]! }]);
  }
  const out: Diagnostic[] = [];
  for (const list of byPair.values()) {
    if (list.length <= GROUPS_PER_PERMISSION_SET_PER_ACCOUNT) continue;
    list.sort((x, y) => cmp(x.a.group, y.a.group));
    const { a, at } = list[GROUPS_PER_PERMISSION_SET_PER_ACCOUNT]!;
    out.push(diag('ACC102', at,
      `permission set "${a.permissionSet}" is assigned to ${list.length} groups in account ${a.accountName} (${a.accountId}); IAM Identity Center allows at most ${GROUPS_PER_PERMISSION_SET_PER_ACCOUNT} groups per permission set in one account (group "${a.group}" is the ${GROUPS_PER_PERMISSION_SET_PER_ACCOUNT + 1}st in name order)`,
      'grant the permission set in this account to fewer groups: merge groups that need the same access, or use one shared group (AWS does not raise this quota)'));
  }
  return out;
}

function buildPolicy(typed: Typed<PolicyFileDocument> | undefined): Policy {
  if (!typed) return { rules: {}, ruleSources: {}, approvals: {}, approvalSources: {}, waivers: [] };
  const { file, data } = typed;
  const rules: Record<string, RuleSetting> = {};
  const ruleSources: Record<string, Position> = {};
  for (const [k, v] of Object.entries(data.rules ?? {})) {
    rules[k] = v as RuleSetting;
    ruleSources[k] = file.locate(['rules', k], 'key');
  }
  const waivers: Waiver[] = (data.waivers ?? []).map((w, i) => ({
    rule: w.rule,
    subject: w.subject,
    reason: w.reason,
    expires: w.expires,
    ...(w.approvedBy !== undefined ? { approvedBy: w.approvedBy } : {}),
    source: file.locate(['waivers', i]),
  }));
  const approvals: Record<string, RuleSetting> = {};
  const approvalSources: Record<string, Position> = {};
  for (const [k, v] of Object.entries(data.approvals ?? {})) {
    approvals[k] = v as RuleSetting;
    approvalSources[k] = file.locate(['approvals', k], 'key');
  }
  const bg = data.breakGlass;
  const breakGlass: BreakGlassPolicy | undefined = bg && {
    groups: [...bg.groups],
    users: [...bg.users],
    maxHours: bg.maxHours ?? BREAK_GLASS_DEFAULT_HOURS,
    approvers: [...(bg.approvers ?? [])],
    withoutApproval: [...(bg.withoutApproval ?? [])],
    source: file.locate(['breakGlass'], 'key'),
  };
  return { rules, ruleSources, approvals, approvalSources, ...(breakGlass ? { breakGlass } : {}), waivers, source: file.locate([]) };
}

function buildSettings({ file, data }: Typed<SettingsDocument>): Settings {
  const apps: App[] = Object.entries(data.okta.apps)
    .map(([key, a]): App =>
      'id' in a
        ? { kind: 'existing', key, label: a.label, id: a.id }
        : {
            kind: 'aws',
            key,
            label: a.label,
            acsUrl: a.acsUrl,
            issuerUrl: a.issuerUrl,
            mfa: a.mfa,
            assignmentGroup: a.assignmentGroup ?? defaultAssignmentGroup(key),
            ...(a.scim !== undefined ? { scim: { baseUrl: a.scim.baseUrl, tokenIssued: a.scim.tokenIssued, tokenIssuedSource: file.locate(['okta', 'apps', key, 'scim', 'tokenIssued']) } } : {}),
            source: file.locate(['okta', 'apps', key], 'key'),
            assignmentGroupSource: file.locate(a.assignmentGroup !== undefined ? ['okta', 'apps', key, 'assignmentGroup'] : ['okta', 'apps', key], a.assignmentGroup !== undefined ? 'value' : 'key'),
          })
    .sort((x, y) => cmp(x.key, y.key));
  const b = data.backend;
  return {
    okta: {
      org: data.okta.org,
      ...(data.okta.orgType !== undefined ? { orgType: data.okta.orgType } : {}),
      baseUrl: data.okta.baseUrl ?? DEFAULT_OKTA_BASE_URL,
      groupPush: data.okta.groupPush ?? DEFAULT_GROUP_PUSH,
      maxApiCapacity: data.okta.maxApiCapacity ?? DEFAULT_MAX_API_CAPACITY,
      apps,
    },
    aws: {
      region: data.aws.region,
      partition: partitionOf(data.aws.region),
      startUrl: data.aws.startUrl,
      managedPoliciesPerRole: data.aws.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE,
      ...(data.aws.instanceArn !== undefined ? { instanceArn: data.aws.instanceArn } : {}),
      ...(data.aws.identityStoreId !== undefined ? { identityStoreId: data.aws.identityStoreId } : {}),
    },
    backend: b.type === 's3'
      ? { type: 's3', bucket: b.bucket, region: b.region, keyPrefix: b.keyPrefix ?? '', ...(b.kmsKeyId !== undefined ? { kmsKeyId: b.kmsKeyId } : {}) }
      : { type: 'local' },
    github: {
      ...(data.github?.securityTeam !== undefined ? { securityTeam: data.github.securityTeam } : {}),
      ...(data.github?.teams !== undefined ? { teams: [...data.github.teams] } : {}),
    },
    shards: [],
    source: file.locate([]),
  };
}

/** The Okta API token goes to https://<org>.<baseUrl>: an Okta domain, or a custom domain spelled out in full (ACC056, ACC057). */
function checkOktaDomain(file: YamlFile, data: SettingsDocument, settings: Settings): Diagnostic[] {
  const { org, baseUrl } = settings.okta;
  const custom = data.okta.customDomain;
  if (custom === undefined) {
    if (OKTA_BASE_DOMAINS.includes(baseUrl)) return [];
    return [diag('ACC056', file.locate(['okta', 'baseUrl']), `okta.baseUrl "${baseUrl}" is not an Okta domain (${OKTA_BASE_DOMAINS.join(', ')}): the Okta API token would be sent to https://${org}.${baseUrl}`, `use the domain of your Okta org; for a custom domain you control, also set okta.customDomain: ${org}.${baseUrl}`)];
  }
  if (custom === `${org}.${baseUrl}`) return [];
  return [diag('ACC057', file.locate(['okta', 'customDomain']), `okta.customDomain "${custom}" is not the host the Okta API token is sent to, https://${org}.${baseUrl} (okta.org "${org}", okta.baseUrl "${baseUrl}")`, 'write the host in full as <org>.<baseUrl>, or set okta.org and okta.baseUrl so that they name it')];
}

/** The ARNs in the import ids of AWS resources, against the partition of aws.region (ACC100). */
function checkImportArns(imports: ReadonlyArray<Typed<ImportsDocument>>, region: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { file, data } of imports) {
    data.imports.forEach((e, i) => {
      if (!e.resource.startsWith('aws_')) return;
      const foreign = (e.id.match(/arn:[^:,]*:[^,]*/g) ?? []).map((arn) => partitionMismatch(arn, region, 'import id ARN')).find((p) => p !== undefined);
      if (foreign) out.push(diag('ACC100', file.locate(['imports', i, 'id']), foreign.message, foreign.hint));
    });
  }
  return out;
}

/** ARNs settings.yaml writes into the stacks, against the partition of their region (ACC100). */
function checkSettingsArns(file: YamlFile, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  const instance = settings.aws.instanceArn !== undefined ? partitionMismatch(settings.aws.instanceArn, settings.aws.region, 'aws.instanceArn') : undefined;
  if (instance) out.push(diag('ACC100', file.locate(['aws', 'instanceArn']), instance.message, instance.hint));
  const b = settings.backend;
  const kms = b.type === 's3' && b.kmsKeyId?.startsWith('arn:') ? partitionMismatch(b.kmsKeyId, b.region, 'backend.kmsKeyId') : undefined;
  if (kms) out.push(diag('ACC100', file.locate(['backend', 'kmsKeyId']), kms.message, kms.hint));
  return out;
}

/** Checks of the AWS app settings that the schema cannot express: the SCIM base URL and MFA on Classic orgs. */
function checkAwsApps(file: YamlFile, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const app of settings.okta.apps) {
    if (app.kind !== 'aws') continue;
    if (app.mfa === 'required' && settings.okta.orgType === 'classic') {
      out.push(diag('ACC049', file.locate(['okta', 'apps', app.key, 'mfa']), `mfa: required needs an app sign-on policy, which only Okta Identity Engine orgs have; settings.yaml says okta.orgType: classic`, 'on a Classic org set mfa: optional and require MFA for the app in a Classic sign-on rule (the app > Sign On > Sign On Policy, or Security > Authentication); if the org is on Identity Engine, set okta.orgType: identity-engine'));
    }
    if (app.scim !== undefined) {
      const problem = scimUrlProblem(app.scim.baseUrl);
      if (problem !== undefined) out.push(diag('ACC048', file.locate(['okta', 'apps', app.key, 'scim', 'baseUrl']), `SCIM base URL ${JSON.stringify(app.scim.baseUrl)} ${problem}`, 'copy the SCIM endpoint from IAM Identity Center > Settings > Automatic provisioning: https://scim.<region>.amazonaws.com/<tenant id>/scim/v2'));
    }
  }
  return out;
}

/** Why a SCIM base URL is wrong, or undefined when it is an https URL that ends in /scim/v2. */
export function scimUrlProblem(url: string): string | undefined {
  if (/\s/.test(url)) return 'contains white space';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:') return `uses ${parsed.protocol.replace(/:$/, '')}: the token would travel in clear text; use https`;
  if (parsed.username !== '' || parsed.password !== '') return 'carries a user name or password: the token is the only credential';
  if (parsed.search !== '' || parsed.hash !== '') return 'has a query or fragment, which Okta would keep in front of every SCIM path';
  if (/\/+$/.test(url)) return 'ends with a slash: Okta appends /Users and /Groups to the base URL, so every request would go to …/scim/v2//Users';
  if (!parsed.pathname.endsWith('/scim/v2')) return 'does not end with /scim/v2, as the IAM Identity Center SCIM endpoint does';
  return undefined;
}

function sortByFile<T extends { file: YamlFile }>(list: ReadonlyArray<T>): T[] {
  return [...list].sort((a, b) => cmp(a.file.file, b.file.file));
}

function shadowed(p: Partial, name: string): boolean {
  return p.all || p.names.has(name);
}

function checkFileName(file: YamlFile, name: string, what: string, out: Diagnostic[]): void {
  const base = file.rel.split('/').pop()!.replace(/\.ya?ml$/, '');
  if (base !== name) {
    out.push(diag('ACC037', file.locate(['name']), `${what} "${name}" is declared in ${base}.yaml`, `rename the file to ${name}.yaml`));
  }
}

/** Collects every place a login is written, to warn when one person is spelled two ways. */
class LoginSpellings {
  private readonly byKey = new Map<string, Array<{ login: string; at: Position; canonical: boolean }>>();

  add(login: string, at: Position, canonical: boolean): void {
    const key = foldLogin(login);
    const list = this.byKey.get(key);
    if (list) list.push({ login, at, canonical });
    else this.byKey.set(key, [{ login, at, canonical }]);
  }

  inconsistencies(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const list of this.byKey.values()) {
      const spellings = new Set(list.map((e) => e.login));
      if (spellings.size < 2) continue;
      const canonical = list.find((e) => e.canonical)?.login ?? mostCommon(list.map((e) => e.login));
      // Where the spelling to follow is written: people.yaml when it lists the person, else its first place.
      const places = list.filter((e) => e.login === canonical);
      const first = places.find((e) => e.canonical) ?? places[0]!;
      const others = places.length > 1 ? ` (and ${places.length - 1} other place${places.length === 2 ? '' : 's'})` : '';
      for (const e of list) {
        if (e.login !== canonical) out.push(diag('ACC038', e.at, `"${e.login}" is written "${canonical}" at ${first.at.file}:${first.at.line}${others}`, `write "${canonical}" here too`));
      }
    }
    return out;
  }
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0][0];
}
