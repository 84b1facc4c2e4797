// From exports to access/ files and the imports.yaml that adopts every
// existing object. Objects accessctl cannot express are reported, never
// dropped silently.
import { Document, isScalar, visit } from 'yaml';
import { lookupManagedPolicy } from '../aws/managed-policies';
import { cmp } from '../diagnostics';
import { accountName as accountNameSchema, groupName as groupNameSchema, permissionSetName as psNameSchema } from '../schema/common';
import type { Settings } from '../model/types';
import { ExportError, ExportFile, jsonFilesUnder } from './exports';

export interface ImportInput {
  readonly oktaDir: string;
  readonly awsDir: string;
  /** Shown in messages for the two directories. */
  readonly oktaLabel: string;
  readonly awsLabel: string;
  readonly settings: Settings;
  /** The IAM Identity Center instance to import when instances.json lists several (--instance). */
  readonly instance?: string;
  /** Largest imports file to write; more entries go to several files under imports/. */
  readonly maxImportsFileBytes?: number;
}

/** Below the loader's 4 MiB per-file limit (src/load/source.ts), with room for YAML quoting. */
export const IMPORTS_FILE_BYTES = 3 * 1024 * 1024;

export interface ImportEntryOut {
  readonly resource: string;
  readonly key: string;
  readonly id: string;
}

export interface ImportResult {
  /** Path relative to the access directory -> content. */
  readonly files: Map<string, string>;
  readonly imports: ImportEntryOut[];
  /** What was not imported, and why. */
  readonly notes: string[];
  /** Access the first apply takes away because the exports hold it in a form accessctl cannot keep. */
  readonly revocations: string[];
  readonly counts: Record<string, number>;
}

const GROUP_NAME = new RegExp(groupNameSchema.pattern);
const ACCOUNT_NAME = new RegExp(accountNameSchema.pattern);
const PS_NAME = new RegExp(psNameSchema.pattern, 'u');
const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/ssoins-[A-Za-z0-9]{1,64}$/;
const PERMISSION_SET_ARN = /^arn:aws[a-z-]*:sso:::permissionSet\/ssoins-[A-Za-z0-9]{1,64}\/ps-[A-Za-z0-9]{1,64}$/;

/**
 * Why an account in each state organizations list-accounts gives (`State`;
 * the retired `Status` had ACTIVE, SUSPENDED and PENDING_CLOSURE) is not
 * imported. Only ACTIVE accounts are: nobody can use the others, and grants
 * on them would name accounts that are gone or not there yet.
 */
const ACCOUNT_STATE_REASON: Readonly<Record<string, string>> = {
  PENDING_ACTIVATION: 'its sign-up is not complete and nobody can use it yet; add it to accounts.yaml once it is ACTIVE',
  SUSPENDED: 'AWS suspended it and nobody can sign in to it',
  PENDING_CLOSURE: 'it is being closed',
  CLOSED: 'it is closed',
};

/**
 * Okta user statuses of people who sign in (or are about to) as usual: kept
 * as members without a word. PROVISIONED is every SSO-only user who never set
 * an Okta password; RECOVERY, PASSWORD_EXPIRED and LOCKED_OUT pass.
 */
const USABLE_USER_STATUSES = new Set(['ACTIVE', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
const MEMBER_STATUS_NOTE: Readonly<Record<string, string>> = {
  SUSPENDED: 'kept as a member (remove them in a reviewed change)',
  DEPROVISIONED: 'kept as a member (remove them in a reviewed change)',
  STAGED: 'kept as a member (never activated: they cannot sign in yet)',
};

/** An account's `State`, or the retired `Status` in exports from before 2026-09-09. */
function accountState(f: ExportFile, account: unknown, i: number): string {
  const state = f.optionalString(f.at(account, 'State'), `Accounts[${i}].State`) ?? f.optionalString(f.at(account, 'Status'), `Accounts[${i}].Status`);
  if (state === undefined) f.fail(`Accounts[${i}].State`, 'missing (a string; exports from before 2026-09-09 have Status instead)');
  return state;
}

/**
 * Strings YAML 1.1 readers (PyYAML, editors, older tools) take for a date or a
 * boolean: quoted, so `Version: "2012-10-17"` stays the string IAM wants
 * wherever the file is read. YAML 1.2 would leave them plain.
 */
const YAML11_NOT_STRING = /^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

const yaml = (header: string, data: unknown): string => {
  const doc = new Document(data);
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && YAML11_NOT_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return `${header}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
};

export function buildImport(input: ImportInput): ImportResult {
  const notes: string[] = [];
  const revocations: string[] = [];
  const imports: ImportEntryOut[] = [];
  const files = new Map<string, string>();
  const okta = (rel: string): ExportFile => ExportFile.read(input.oktaDir, rel, `${input.oktaLabel}/${rel}`);
  const oktaOptional = (rel: string): ExportFile | undefined => ExportFile.readOptional(input.oktaDir, rel, `${input.oktaLabel}/${rel}`);
  const aws = (rel: string): ExportFile => ExportFile.read(input.awsDir, rel, `${input.awsLabel}/${rel}`);
  const awsOptional = (rel: string): ExportFile | undefined => ExportFile.readOptional(input.awsDir, rel, `${input.awsLabel}/${rel}`);

  // --- AWS: instance, accounts and their OUs.
  const instanceArn = chooseInstance(aws('instances.json'), input.instance);
  const instanceId = instanceArn.split('/').pop()!;

  const accountsFile = aws('accounts.json');
  const accounts: Array<{ id: string; name: string; description?: string; ou: string; tags?: Record<string, string> }> = [];
  const inactiveAccounts = new Map<string, string>(); // id -> "name (id), which is CLOSED"
  const listed = accountsFile.list('Accounts').flatMap((a, i) => {
    const id = accountsFile.string(accountsFile.at(a, 'Id'), `Accounts[${i}].Id`);
    const rawName = accountsFile.string(accountsFile.at(a, 'Name'), `Accounts[${i}].Name`);
    if (!/^[0-9]{12}$/.test(id)) accountsFile.fail(`Accounts[${i}].Id`, `"${id}" is not a 12-digit account id`);
    const state = accountState(accountsFile, a, i);
    if (state !== 'ACTIVE') {
      notes.push(`account ${rawName} (${id}) is ${state}: not imported (${ACCOUNT_STATE_REASON[state] ?? 'a state accessctl does not know; only ACTIVE accounts are imported'})`);
      inactiveAccounts.set(id, `${rawName} (${id}), which is ${state}`);
      return [];
    }
    return [{ id, rawName }];
  });
  // Names AWS gives that are valid and have no space stay; the others get a
  // slug (a space would become a quoted AWS CLI profile name), never one a kept name has.
  const keep = (n: string): boolean => ACCOUNT_NAME.test(n) && !n.includes(' ');
  const usedAccountNames = new Set(listed.filter((a) => keep(a.rawName)).map((a) => a.rawName));
  for (const { id, rawName } of listed) {
    let name = rawName;
    if (!keep(rawName)) {
      name = rawName.toLowerCase().replace(/[^a-z0-9._+@-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
      if (!ACCOUNT_NAME.test(name) || usedAccountNames.has(name)) name = `account-${id}`;
      notes.push(`account "${rawName}" (${id}) is named ${name}, with "${rawName}" as its description`);
      usedAccountNames.add(name);
    }
    const tagsFile = awsOptional(`account-tags/${id}.json`);
    accounts.push({ id, name, ...(name !== rawName ? { description: rawName } : {}), ou: ouPath(input.awsDir, input.awsLabel, id), ...(tagsFile ? { tags: readTags(tagsFile) } : {}) });
  }
  accounts.sort((x, y) => cmp(x.name, y.name));
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  files.set('accounts.yaml', yaml('# yaml-language-server: $schema=../schemas/accounts.schema.json\n# Imported by accessctl import from organizations list-accounts and list-parents.\n', {
    accounts: accounts.map((a) => ({ name: a.name, ...(a.description !== undefined ? { description: a.description } : {}), id: a.id, ou: a.ou, ...(a.tags && Object.keys(a.tags).length > 0 ? { tags: a.tags } : {}) })),
  }));

  // --- AWS: permission sets.
  const psList = aws('permission-sets.json');
  const permissionSets = new Map<string, { name: string; arn: string }>();
  const psNames = new Set<string>();
  psList.list('PermissionSets').forEach((arnValue, i) => {
    const arn = psList.string(arnValue, `PermissionSets[${i}]`);
    if (!PERMISSION_SET_ARN.test(arn)) psList.fail(`PermissionSets[${i}]`, `"${arn}" is not a permission set ARN`);
    if (arn.split('/')[1] !== instanceId) throw new ExportError(psList.file, `PermissionSets[${i}]: ${arn} belongs to another instance than ${instanceArn}: export again with --instance-arn $I`, 'ACC094');
    const psId = arn.split('/').pop()!;
    const dir = `permission-sets/${psId}`;
    const d = aws(`${dir}/describe.json`);
    const ps = d.object(d.at(d.data, 'PermissionSet'), 'PermissionSet');
    const name = d.string(ps.Name, 'PermissionSet.Name');
    if (!PS_NAME.test(name)) d.fail('PermissionSet.Name', `"${name}" is not a valid permission set name`);
    const describedArn = d.optionalString(ps.PermissionSetArn, 'PermissionSet.PermissionSetArn');
    if (describedArn !== undefined && describedArn !== arn) d.fail('PermissionSet.PermissionSetArn', `is ${describedArn}, but ${psList.file} lists ${arn} for this file`);
    if (psNames.has(name)) d.fail('PermissionSet.Name', `"${name}" is the name of two permission sets`);
    const doc: Record<string, unknown> = { name };
    const description = d.optionalString(ps.Description, 'PermissionSet.Description');
    if (description !== undefined) doc.description = description;
    const session = d.optionalString(ps.SessionDuration, 'PermissionSet.SessionDuration');
    if (session !== undefined) doc.sessionDuration = session;
    const relay = d.optionalString(ps.RelayState, 'PermissionSet.RelayState');
    if (relay !== undefined) doc.relayState = relay;

    const managed = aws(`${dir}/managed-policies.json`);
    const managedRefs = managed.list('AttachedManagedPolicies').map((m, j) => {
      const policyArn = managed.string(managed.at(m, 'Arn'), `AttachedManagedPolicies[${j}].Arn`);
      const policyName = managed.string(managed.at(m, 'Name'), `AttachedManagedPolicies[${j}].Name`);
      const byName = lookupManagedPolicy(policyName, input.settings.aws.partition);
      imports.push({ resource: 'aws_ssoadmin_managed_policy_attachment', key: `${name}|${policyArn}`, id: `${policyArn},${arn},${instanceArn}` });
      return byName.ok && byName.policy.arn === policyArn ? policyName : policyArn;
    });
    if (managedRefs.length > 0) doc.managedPolicies = managedRefs;

    const customer = awsOptional(`${dir}/customer-managed-policies.json`);
    const customerRefs = (customer?.list('CustomerManagedPolicyReferences') ?? []).map((c, j) => {
      const cname = customer!.string(customer!.at(c, 'Name'), `CustomerManagedPolicyReferences[${j}].Name`);
      const cpath = customer!.optionalString(customer!.at(c, 'Path'), `CustomerManagedPolicyReferences[${j}].Path`) ?? '/';
      imports.push({ resource: 'aws_ssoadmin_customer_managed_policy_attachment', key: `${name}|${cpath}${cname}`, id: `${cname},${cpath},${arn},${instanceArn}` });
      return cpath === '/' ? { name: cname } : { name: cname, path: cpath };
    });
    if (customerRefs.length > 0) doc.customerManagedPolicies = customerRefs;

    const inline = awsOptional(`${dir}/inline-policy.json`);
    const inlineText = inline ? inline.optionalString(inline.at(inline.object(inline.data, ''), 'InlinePolicy'), 'InlinePolicy') : undefined;
    if (inlineText !== undefined) {
      try {
        doc.inlinePolicy = JSON.parse(inlineText) as unknown;
      } catch {
        inline!.fail('InlinePolicy', 'is not a JSON policy document');
      }
      imports.push({ resource: 'aws_ssoadmin_permission_set_inline_policy', key: name, id: `${arn},${instanceArn}` });
    }

    const boundary = awsOptional(`${dir}/permissions-boundary.json`);
    if (boundary) {
      const b = boundary.object(boundary.at(boundary.data, 'PermissionsBoundary'), 'PermissionsBoundary');
      const managedArn = boundary.optionalString(b.ManagedPolicyArn, 'PermissionsBoundary.ManagedPolicyArn');
      if (managedArn !== undefined) doc.permissionsBoundary = { managedPolicy: managedArn };
      else {
        const ref = boundary.object(b.CustomerManagedPolicyReference, 'PermissionsBoundary.CustomerManagedPolicyReference');
        const bname = boundary.string(ref.Name, 'PermissionsBoundary.CustomerManagedPolicyReference.Name');
        const bpath = boundary.optionalString(ref.Path, 'PermissionsBoundary.CustomerManagedPolicyReference.Path') ?? '/';
        doc.permissionsBoundary = { customerManagedPolicy: bpath === '/' ? { name: bname } : { name: bname, path: bpath } };
      }
      imports.push({ resource: 'aws_ssoadmin_permissions_boundary_attachment', key: name, id: `${arn},${instanceArn}` });
    }
    const tagsFile = awsOptional(`${dir}/tags.json`);
    if (tagsFile) {
      const tags = readTags(tagsFile);
      if (Object.keys(tags).length > 0) doc.tags = tags;
    }
    imports.push({ resource: 'aws_ssoadmin_permission_set', key: name, id: `${arn},${instanceArn}` });
    permissionSets.set(arn, { name, arn });
    psNames.add(name);
    files.set(`permission-sets/${name}.yaml`, yaml('# yaml-language-server: $schema=../../schemas/permission-set.schema.json\n# Imported by accessctl import.\n', doc));
  });

  // --- AWS: Identity Store groups and account assignments.
  const storeGroups = aws('groups.json');
  const storeGroupName = new Map<string, string>();
  storeGroups.list('Groups').forEach((g, i) => {
    storeGroupName.set(storeGroups.string(storeGroups.at(g, 'GroupId'), `Groups[${i}].GroupId`), storeGroups.string(storeGroups.at(g, 'DisplayName'), `Groups[${i}].DisplayName`));
  });
  const assignments: Array<{ group: string; principalId: string; accountId: string; psArn: string }> = [];
  const seenAssignments = new Set<string>();
  // Every ACTIVE account needs its assignments exported for every permission
  // set: a failed or skipped call would otherwise import the account with no grants.
  const missingAssignments = accounts.flatMap((acc) => [...permissionSets.values()].flatMap((ps) => {
    const rel = `account-assignments/${acc.id}/${ps.arn.split('/').pop()!}.json`;
    return ExportFile.exists(input.awsDir, rel) ? [] : [{ rel, acc, ps }];
  }));
  if (missingAssignments.length > 0) {
    const [{ rel, acc, ps }] = missingAssignments as [typeof missingAssignments[number]];
    const more = missingAssignments.length - 1;
    throw new ExportError(`${input.awsLabel}/${rel}`, `missing: account ${acc.description ?? acc.name} (${acc.id}) is ACTIVE, and without sso-admin list-account-assignments for it and ${ps.name} its assignments would not be imported${more > 0 ? ` (${more} more account and permission set pair${more === 1 ? ' is' : 's are'} missing too)` : ''}`, 'ACC095', 'export the assignments of every ACTIVE account and permission set (docs/import.md), then import again');
  }
  for (const rel of jsonFilesUnder(input.awsDir, 'account-assignments')) {
    const f = aws(rel);
    f.list('AccountAssignments').forEach((a, i) => {
      const at = (k: string): string => f.string(f.at(a, k), `AccountAssignments[${i}].${k}`);
      const accountId = at('AccountId');
      const psArn = at('PermissionSetArn');
      const type = at('PrincipalType');
      const principalId = at('PrincipalId');
      if (type !== 'GROUP') {
        notes.push(`an assignment of ${permissionSets.get(psArn)?.name ?? psArn} on ${accountId} to a ${type.toLowerCase()} (${principalId}) is not imported: accessctl assigns groups only`);
        return;
      }
      const group = storeGroupName.get(principalId);
      if (group === undefined) f.fail(`AccountAssignments[${i}].PrincipalId`, `group ${principalId} is not in ${input.awsLabel}/groups.json`);
      if (!permissionSets.has(psArn)) f.fail(`AccountAssignments[${i}].PermissionSetArn`, `${psArn} is not in ${input.awsLabel}/permission-sets.json`);
      if (!accountById.has(accountId)) {
        notes.push(`an assignment of ${permissionSets.get(psArn)!.name} to ${group} on account ${inactiveAccounts.get(accountId) ?? `${accountId}, which is not in ${accountsFile.file}`}, is not imported`);
        return;
      }
      const seenKey = `${principalId},${accountId},${psArn}`;
      if (seenAssignments.has(seenKey)) return; // the same assignment in two export files
      seenAssignments.add(seenKey);
      assignments.push({ group: group!, principalId, accountId, psArn });
    });
  }

  // --- Okta: apps.
  const appsFile = okta('apps.json');
  const apps = appsFile.array(appsFile.data, '').map((a, i) => ({
    id: appsFile.string(appsFile.at(a, 'id'), `[${i}].id`),
    name: appsFile.optionalString(appsFile.at(a, 'name'), `[${i}].name`) ?? '',
    label: appsFile.optionalString(appsFile.at(a, 'label'), `[${i}].label`) ?? '',
  }));
  const awsAppSetting = input.settings.okta.apps.find((a) => a.kind === 'aws');
  const awsCandidates = apps.filter((a) => a.name === 'amazon_aws_sso');
  const awsApp = awsCandidates.length === 1 ? awsCandidates[0] : awsCandidates.find((a) => a.label === awsAppSetting?.label);
  if (awsAppSetting && awsCandidates.length > 0 && !awsApp) appsFile.fail('', `${awsCandidates.length} AWS IAM Identity Center apps (amazon_aws_sso) and none labelled "${awsAppSetting.label}" as settings.yaml says`);
  const appKeyById = new Map<string, string>();
  if (awsApp && awsAppSetting) {
    appKeyById.set(awsApp.id, awsAppSetting.key);
    imports.push({ resource: 'okta_app_saml', key: awsAppSetting.key, id: awsApp.id });
  } else if (awsAppSetting) notes.push(`no amazon_aws_sso app in ${appsFile.file}: the first apply creates the AWS app "${awsAppSetting.label}"`);
  for (const a of input.settings.okta.apps) if (a.kind === 'existing') appKeyById.set(a.id, a.key);
  const undeclared: Array<{ gid: string; app: { id: string; label: string } }> = [];
  const appGroups = new Map<string, string[]>(); // group id -> app keys
  const appGroupIds = new Map<string, Set<string>>(); // app key -> group ids
  for (const app of apps) {
    const f = oktaOptional(`apps/${app.id}/groups.json`);
    if (!f) continue;
    const key = appKeyById.get(app.id);
    f.array(f.data, '').forEach((g, i) => {
      const gid = f.string(f.at(g, 'id'), `[${i}].id`);
      if (key === undefined) {
        undeclared.push({ gid, app });
        return;
      }
      appGroups.set(gid, [...(appGroups.get(gid) ?? []), key]);
      if (!appGroupIds.has(key)) appGroupIds.set(key, new Set());
      appGroupIds.get(key)!.add(gid);
    });
  }
  // source group id -> mapping (status ACTIVE, INACTIVE or ERROR, as GET .../group-push/mappings returns it)
  const pushMappings = new Map<string, { id: string; status: string; errorSummary?: string }>();
  const pushMappingsFile = awsApp ? oktaOptional(`apps/${awsApp.id}/push-mappings.json`) : undefined;
  pushMappingsFile?.array(pushMappingsFile.data, '').forEach((m, i) => {
    const f = pushMappingsFile;
    const errorSummary = f.optionalString(f.at(m, 'errorSummary'), `[${i}].errorSummary`);
    pushMappings.set(f.string(f.at(m, 'sourceGroupId'), `[${i}].sourceGroupId`), {
      id: f.string(f.at(m, 'id'), `[${i}].id`),
      status: f.string(f.at(m, 'status'), `[${i}].status`),
      ...(errorSummary !== undefined ? { errorSummary } : {}),
    });
  });

  // --- Okta: group rules. A group that an active rule fills is imported in
  // additive mode without members: authoritative memberships would fight the rule.
  const rulesFile = oktaOptional('group-rules.json');
  const rulesByGroup = new Map<string, string[]>(); // group id -> rule names
  rulesFile?.array(rulesFile.data, '').forEach((r, i) => {
    const status = rulesFile.string(rulesFile.at(r, 'status'), `[${i}].status`);
    const ruleName = rulesFile.string(rulesFile.at(r, 'name'), `[${i}].name`);
    if (status !== 'ACTIVE') return;
    const assign = rulesFile.object(rulesFile.at(rulesFile.object(rulesFile.at(r, 'actions'), `[${i}].actions`), 'assignUserToGroups'), `[${i}].actions.assignUserToGroups`);
    rulesFile.array(assign.groupIds, `[${i}].actions.assignUserToGroups.groupIds`).forEach((gid, j) => {
      const id = rulesFile.string(gid, `[${i}].actions.assignUserToGroups.groupIds[${j}]`);
      rulesByGroup.set(id, [...(rulesByGroup.get(id) ?? []), ruleName]);
    });
  });

  // --- Okta: groups, members, owners.
  const groupsFile = okta('groups.json');
  const anyGroupName = new Map<string, string>(); // every group of the export, imported or not
  const loginById = new Map<string, string>();
  const people = new Map<string, { login: string; name?: string }>();
  const usersFile = oktaOptional('users.json');
  const addUser = (f: ExportFile, u: unknown, where: string): string => {
    const id = f.string(f.at(u, 'id'), `${where}.id`);
    const profile = f.object(f.at(u, 'profile'), `${where}.profile`);
    const login = f.string(profile.login, `${where}.profile.login`);
    loginById.set(id, login);
    const first = f.optionalString(profile.firstName, `${where}.profile.firstName`);
    const last = f.optionalString(profile.lastName, `${where}.profile.lastName`);
    const name = [first, last].filter(Boolean).join(' ');
    if (!people.has(login.toLowerCase())) people.set(login.toLowerCase(), { login, ...(name ? { name } : {}) });
    return login;
  };
  usersFile?.array(usersFile.data, '').forEach((u, i) => addUser(usersFile, u, `[${i}]`));

  const groupDocs: Array<{ name: string; id: string; doc: Record<string, unknown>; ownerIds: string[]; ownersFile?: ExportFile }> = [];
  const groupNameById = new Map<string, string>();
  groupsFile.array(groupsFile.data, '').forEach((g, i) => {
    const id = groupsFile.string(groupsFile.at(g, 'id'), `[${i}].id`);
    const type = groupsFile.string(groupsFile.at(g, 'type'), `[${i}].type`);
    const profile = groupsFile.object(groupsFile.at(g, 'profile'), `[${i}].profile`);
    const name = groupsFile.string(profile.name, `[${i}].profile.name`);
    anyGroupName.set(id, name);
    if (type !== 'OKTA_GROUP') {
      notes.push(`group "${name}" (${id}) is of type ${type}: only Okta groups (OKTA_GROUP) are imported`);
      return;
    }
    if (!GROUP_NAME.test(name)) {
      notes.push(`group "${name}" (${id}) has a name accessctl cannot keep as a group name: not imported`);
      return;
    }
    const members = okta(`groups/${id}/users.json`);
    const logins = members.array(members.data, '').map((u, j) => {
      const status = members.optionalString(members.at(u, 'status'), `[${j}].status`);
      const login = addUser(members, u, `[${j}]`);
      const note = status === undefined || rulesByGroup.has(id) ? undefined : MEMBER_STATUS_NOTE[status] ?? (USABLE_USER_STATUSES.has(status) ? undefined : 'kept as a member');
      if (note !== undefined) notes.push(`${login} in "${name}" is ${status}: ${note}`);
      return login;
    });
    const rules = rulesByGroup.get(id);
    if (rules !== undefined) {
      notes.push(`group "${name}" is filled by the group rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `"${r}"`).join(', ')}: imported in additive mode without members, so Terraform leaves the rule's members alone (list members to manage them too)`);
    }
    const description = groupsFile.optionalString(profile.description, `[${i}].profile.description`);
    const ownersFile = oktaOptional(`groups/${id}/owners.json`);
    const ownerIds = ownersFile ? ownersFile.array(ownersFile.data, '').flatMap((o, j) => {
      const type = ownersFile.string(ownersFile.at(o, 'type'), `[${j}].type`);
      const oid = ownersFile.string(ownersFile.at(o, 'id'), `[${j}].id`);
      if (type !== 'USER') {
        notes.push(`group "${name}" is owned by a ${type.toLowerCase()} (${oid}): accessctl owners are people, not imported`);
        return [];
      }
      return [oid];
    }) : [];
    groupNameById.set(id, name);
    groupDocs.push({
      name,
      id,
      ownerIds,
      ...(ownersFile ? { ownersFile } : {}),
      doc: {
        name,
        ...(description !== undefined ? { description } : {}),
        mode: rules !== undefined ? 'additive' : 'authoritative',
        members: rules !== undefined ? [] : [...new Set(logins)].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase())),
      },
    });
  });

  for (const [gid, keys] of [...appGroups].sort(([a], [b]) => cmp(a, b))) {
    if (groupNameById.has(gid)) continue;
    const shown = anyGroupName.has(gid) ? `"${anyGroupName.get(gid)}" (${gid})` : `the group ${gid}, which is not in ${groupsFile.file},`;
    for (const key of keys) {
      if (awsAppSetting !== undefined && key === awsAppSetting.key) {
        revocations.push(`${shown} is assigned to the Okta app "${awsApp!.label}" but is not imported: okta_app_group_assignments holds every group of that app, so the first apply removes this assignment (and SCIM then deprovisions what only it brought to AWS)`);
      } else {
        notes.push(`${shown} is assigned to the Okta app "${key}" but is not imported: that assignment is left as it is`);
      }
    }
  }
  for (const { gid, app } of undeclared) {
    notes.push(`"${anyGroupName.get(gid) ?? gid}" is assigned to the Okta app "${app.label}" (${app.id}), which settings.yaml does not declare: that assignment is not imported`);
  }
  const groupByName = new Map(groupDocs.map((g) => [g.name, g]));
  const oktaNames = new Set(anyGroupName.values());
  const assignmentsByGroup = new Map<string, typeof assignments>();
  for (const a of assignments) {
    const list = assignmentsByGroup.get(a.group);
    if (list) list.push(a);
    else assignmentsByGroup.set(a.group, [a]);
    if (!groupByName.has(a.group)) {
      if (oktaNames.has(a.group)) {
        notes.push(`the Identity Store group "${a.group}" holds ${permissionSets.get(a.psArn)!.name} on ${a.accountId}, but its Okta group is not imported (see above): that assignment is not imported`);
        continue;
      }
      notes.push(`the Identity Store group "${a.group}" holds ${permissionSets.get(a.psArn)!.name} on ${a.accountId} but is not an Okta group in the export: not imported`);
    }
  }

  const paused: string[] = [];
  for (const g of groupDocs.sort((x, y) => cmp(x.name, y.name))) {
    const owners = g.ownerIds.flatMap((oid) => {
      const login = loginById.get(oid);
      if (login === undefined) {
        notes.push(`owner ${oid} of "${g.name}" is in no exported group${usersFile ? ` and not in ${usersFile.file}` : `, and there is no ${input.oktaLabel}/users.json (GET /api/v1/users) to find them in`}: not imported`);
        return [];
      }
      imports.push({ resource: 'okta_group_owner', key: `${g.name}|${login.toLowerCase()}`, id: `${g.id}/${oid}` });
      return [login];
    });
    const keys = (appGroups.get(g.id) ?? []).sort(cmp);
    const grants = new Map<string, string[]>();
    for (const a of assignmentsByGroup.get(g.name) ?? []) {
      const ps = permissionSets.get(a.psArn)!.name;
      grants.set(ps, [...(grants.get(ps) ?? []), accountById.get(a.accountId)!.name]);
      imports.push({ resource: 'aws_ssoadmin_account_assignment', key: `${g.name}|${ps}|${a.accountId}`, id: `${a.principalId},GROUP,${a.accountId},AWS_ACCOUNT,${a.psArn},${instanceArn}` });
    }
    const members = g.doc.members as string[];
    const doc: Record<string, unknown> = {
      name: g.name,
      ...(g.doc.description !== undefined ? { description: g.doc.description } : {}),
      ...(owners.length > 0 ? { owners } : {}),
      mode: g.doc.mode,
      ...(members.length > 0 || g.doc.mode === 'authoritative' ? { members } : {}),
      ...(keys.length > 0 ? { apps: keys } : {}),
      ...(grants.size > 0 ? { aws: [...grants].sort(([x], [y]) => cmp(x, y)).map(([permissionSet, names]) => ({ permissionSet, accounts: [...new Set(names)].sort(cmp) })) } : {}),
    };
    if (owners.length === 0) notes.push(`group "${g.name}" has no owner in the export: give it one (validate requires it)`);
    files.set(`groups/${g.name}.yaml`, yaml(`# yaml-language-server: $schema=../../schemas/group.schema.json\n# Imported by accessctl import: ${g.doc.mode === 'authoritative' ? 'every current member, authoritative' : 'members come from a group rule, additive'}.\n`, doc));

    imports.push({ resource: 'okta_group', key: g.name, id: g.id });
    if (members.length > 0) imports.push({ resource: 'okta_group_memberships', key: g.name, id: `${g.id}/true` });
    for (const key of keys) {
      const app = input.settings.okta.apps.find((a) => a.key === key)!;
      if (app.kind === 'existing') imports.push({ resource: 'okta_app_group_assignment', key: `${key}|${g.name}`, id: `${app.id}/${g.id}` });
    }
    const mapping = pushMappings.get(g.id);
    if (mapping !== undefined && awsApp && awsAppSetting && input.settings.okta.groupPush && keys.includes(awsAppSetting.key)) {
      // okta_push_group is declared ACTIVE: a paused push would resume at the first apply.
      if (mapping.status === 'INACTIVE') paused.push(g.name);
      else if (mapping.status !== 'ACTIVE') {
        notes.push(`the Group Push of "${g.name}" is ${mapping.status}${mapping.errorSummary !== undefined ? ` (${mapping.errorSummary})` : ''}: adopted, and the first apply sets it ACTIVE, which pushes the group again; fix the cause in Okta before applying`);
      }
      imports.push({ resource: 'okta_push_group', key: g.name, id: `${awsApp.id}/${mapping.id}` });
    }
  }
  if (paused.length > 0) {
    throw new ExportError(pushMappingsFile!.file, `the Group Push of ${paused.map((n) => `"${n}"`).join(', ')} is INACTIVE (paused), and accessctl declares every push ACTIVE: the first apply would resume it`, 'ACC096', 'activate the push in Okta, or delete the mapping, or set okta.groupPush: false in settings.yaml; then export the mappings again');
  }
  if (awsApp && awsAppSetting && (appGroupIds.get(awsAppSetting.key)?.size ?? 0) > 0) {
    imports.push({ resource: 'okta_app_group_assignments', key: awsAppSetting.key, id: awsApp.id });
    if (pushMappingsFile === undefined && input.settings.okta.groupPush) {
      notes.push(`no ${`apps/${awsApp.id}/push-mappings.json`} in the Okta export: the first apply creates a Group Push for every group with apps: [${awsAppSetting.key}], and nothing documents that IAM Identity Center links a new push to the AWS group that already has its name (it may fail or make a second group). Export the mappings (docs/import.md) so the existing pushes are adopted`);
    }
    const assigned = appGroupIds.get(awsAppSetting.key)!.size;
    notes.push(`${assigned} group${assigned === 1 ? ' is' : 's are'} assigned to the AWS app "${awsApp.label}": accessctl assigns only its assignment group ${awsAppSetting.kind === 'aws' ? awsAppSetting.assignmentGroup : ''} and pushes the groups with AWS grants. The first apply creates that group with everyone in a pushed group, assigns it, and only then unassigns the others (a one-time change, which plan-summary describes)`);
  }

  if (people.size > 0) {
    files.set('people.yaml', yaml('# yaml-language-server: $schema=../schemas/people.schema.json\n# Imported by accessctl import: add GitHub handles (github: ...) for CODEOWNERS.\n', {
      people: [...people.values()].sort((a, b) => cmp(a.login.toLowerCase(), b.login.toLowerCase())),
    }));
  }
  imports.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.key, b.key));
  const chunks = chunkBySize(imports, input.maxImportsFileBytes ?? IMPORTS_FILE_BYTES);
  if (chunks.length === 1) {
    files.set('imports.yaml', yaml('# yaml-language-server: $schema=../schemas/imports.schema.json\n# Written by accessctl import: the existing objects the first apply adopts\n# (Terraform import blocks). Delete this file after that apply.\n', { imports }));
  } else {
    chunks.forEach((chunk, i) => files.set(`imports/${String(i + 1).padStart(4, '0')}.yaml`, yaml(
      `# yaml-language-server: $schema=../../schemas/imports.schema.json\n# Written by accessctl import, part ${i + 1} of ${chunks.length}: the existing objects the first apply\n# adopts (Terraform import blocks). Delete imports/ after that apply.\n`, { imports: chunk })));
  }

  const count = (r: string): number => imports.filter((i) => i.resource === r).length;
  return {
    files,
    imports,
    notes,
    revocations,
    counts: {
      groups: groupDocs.length,
      'permission sets': permissionSets.size,
      accounts: accounts.length,
      'account assignments': count('aws_ssoadmin_account_assignment'),
      'import blocks': imports.length,
    },
  };
}

/** Consecutive runs of entries whose YAML stays under `maxBytes` (JSON length bounds the YAML one). */
function chunkBySize<T>(entries: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = [[]];
  let size = 0;
  for (const e of entries) {
    const n = Buffer.byteLength(JSON.stringify(e), 'utf8') + 16;
    if (size + n > maxBytes && out[out.length - 1]!.length > 0) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(e);
    size += n;
  }
  return out;
}

/** {"Tags": [{"Key", "Value"}]} (sso-admin and organizations list-tags-for-resource) as a map. */
function readTags(f: ExportFile): Record<string, string> {
  const out: Record<string, string> = {};
  f.list('Tags').forEach((t, i) => {
    const key = f.string(f.at(t, 'Key'), `Tags[${i}].Key`);
    const value = f.at(t, 'Value');
    if (typeof value !== 'string') f.fail(`Tags[${i}].Value`, value === undefined ? 'missing (a string)' : 'expected a string');
    out[key] = value as string;
  });
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => cmp(a, b)));
}

/** "Workloads/Prod" from list-parents (accounts and OUs) and describe-organizational-unit; "Root" directly under the root. */
function ouPath(awsDir: string, awsLabel: string, accountId: string): string {
  const names: string[] = [];
  let child = accountId;
  for (let depth = 0; depth < 10; depth++) {
    const f = ExportFile.read(awsDir, `parents/${child}.json`, `${awsLabel}/parents/${child}.json`);
    const parents = f.list('Parents');
    if (parents.length !== 1) f.fail('Parents', `expected one parent, found ${parents.length}`);
    const type = f.string(f.at(parents[0], 'Type'), 'Parents[0].Type');
    const id = f.string(f.at(parents[0], 'Id'), 'Parents[0].Id');
    if (type === 'ROOT') return names.length === 0 ? 'Root' : names.reverse().join('/');
    const ou = ExportFile.read(awsDir, `ous/${id}.json`, `${awsLabel}/ous/${id}.json`);
    names.push(ou.string(ou.at(ou.object(ou.at(ou.data, 'OrganizationalUnit'), 'OrganizationalUnit'), 'Name'), 'OrganizationalUnit.Name'));
    child = id;
  }
  throw new ExportError(`${awsLabel}/parents/${accountId}.json`, 'OUs nested deeper than 10 levels');
}

/**
 * The instance the exports describe: the only one sso-admin list-instances
 * returns, or the one --instance names. Several (an organization instance and
 * account instances) and no choice is refused: the permission sets and
 * assignments belong to one of them, and a guess would adopt the wrong one.
 */
function chooseInstance(f: ExportFile, chosen: string | undefined): string {
  const arns = f.list('Instances').map((inst, i) => {
    const arn = f.string(f.at(inst, 'InstanceArn'), `Instances[${i}].InstanceArn`);
    if (!INSTANCE_ARN.test(arn)) f.fail(`Instances[${i}].InstanceArn`, `"${arn}" is not an IAM Identity Center instance ARN`);
    return arn;
  });
  if (arns.length === 0) f.fail('Instances', 'no IAM Identity Center instance: export from the account and region that hold it');
  const shown = arns.join(', ');
  if (chosen !== undefined) {
    if (!arns.includes(chosen)) throw new ExportError(f.file, `Instances: --instance ${chosen} is not among the ${arns.length} listed: ${shown}`, 'ACC094', 'name the instance the exports were taken from ($I in docs/import.md)');
    return chosen;
  }
  if (arns.length > 1) throw new ExportError(f.file, `Instances: ${arns.length} IAM Identity Center instances; pass --instance with the one the exports were taken from: ${shown}`, 'ACC094', 'accessctl import --okta DIR --aws DIR --instance ARN');
  return arns[0]!;
}
