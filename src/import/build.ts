// From exports to access/ files and the imports.yaml that adopts every
// existing object. Objects accessctl cannot express are reported, never
// dropped silently.
import { stringify } from 'yaml';
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

const yaml = (header: string, data: unknown): string => `${header}${stringify(data, { lineWidth: 0, flowCollectionPadding: false })}`;

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
  const instancesFile = aws('instances.json');
  const instances = instancesFile.list('Instances');
  if (instances.length !== 1) instancesFile.fail('Instances', `expected one IAM Identity Center instance, found ${instances.length}`);
  const instanceArn = instancesFile.string(instancesFile.at(instances[0], 'InstanceArn'), 'Instances[0].InstanceArn');
  if (!INSTANCE_ARN.test(instanceArn)) instancesFile.fail('Instances[0].InstanceArn', `"${instanceArn}" is not an IAM Identity Center instance ARN`);

  const accountsFile = aws('accounts.json');
  const accounts: Array<{ id: string; name: string; ou: string; tags?: Record<string, string> }> = [];
  const usedAccountNames = new Set<string>();
  accountsFile.list('Accounts').forEach((a, i) => {
    const id = accountsFile.string(accountsFile.at(a, 'Id'), `Accounts[${i}].Id`);
    const rawName = accountsFile.string(accountsFile.at(a, 'Name'), `Accounts[${i}].Name`);
    const status = accountsFile.optionalString(accountsFile.at(a, 'Status'), `Accounts[${i}].Status`);
    if (!/^[0-9]{12}$/.test(id)) accountsFile.fail(`Accounts[${i}].Id`, `"${id}" is not a 12-digit account id`);
    if (status !== undefined && status !== 'ACTIVE') {
      notes.push(`account ${rawName} (${id}) is ${status}: not imported`);
      return;
    }
    let name = ACCOUNT_NAME.test(rawName) ? rawName : rawName.toLowerCase().replace(/[^a-z0-9._+@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
    if (!ACCOUNT_NAME.test(name) || usedAccountNames.has(name)) name = `account-${id}`;
    if (name !== rawName) notes.push(`account "${rawName}" (${id}) is named ${name}`);
    usedAccountNames.add(name);
    const tagsFile = awsOptional(`account-tags/${id}.json`);
    accounts.push({ id, name, ou: ouPath(input.awsDir, input.awsLabel, id), ...(tagsFile ? { tags: readTags(tagsFile) } : {}) });
  });
  accounts.sort((x, y) => cmp(x.name, y.name));
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  files.set('accounts.yaml', yaml('# yaml-language-server: $schema=../schemas/accounts.schema.json\n# Imported by accessctl import from organizations list-accounts and list-parents.\n', {
    accounts: accounts.map((a) => ({ name: a.name, id: a.id, ou: a.ou, ...(a.tags && Object.keys(a.tags).length > 0 ? { tags: a.tags } : {}) })),
  }));

  // --- AWS: permission sets.
  const psList = aws('permission-sets.json');
  const permissionSets = new Map<string, { name: string; arn: string }>();
  const psNames = new Set<string>();
  psList.list('PermissionSets').forEach((arnValue, i) => {
    const arn = psList.string(arnValue, `PermissionSets[${i}]`);
    if (!PERMISSION_SET_ARN.test(arn)) psList.fail(`PermissionSets[${i}]`, `"${arn}" is not a permission set ARN`);
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
        notes.push(`an assignment of ${permissionSets.get(psArn)!.name} to ${group} on account ${accountId}, which is not an active account, is not imported`);
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
  const pushMappings = new Map<string, string>(); // source group id -> mapping id
  let pushMappingsExported = false;
  if (awsApp) {
    const f = oktaOptional(`apps/${awsApp.id}/push-mappings.json`);
    pushMappingsExported = f !== undefined;
    f?.array(f.data, '').forEach((m, i) => {
      pushMappings.set(f.string(f.at(m, 'sourceGroupId'), `[${i}].sourceGroupId`), f.string(f.at(m, 'id'), `[${i}].id`));
    });
  }

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
      if (status !== undefined && status !== 'ACTIVE' && !rulesByGroup.has(id)) notes.push(`${login} in "${name}" is ${status}: kept as a member (remove them in a reviewed change)`);
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

  for (const g of groupDocs.sort((x, y) => cmp(x.name, y.name))) {
    const owners = g.ownerIds.flatMap((oid) => {
      const login = loginById.get(oid);
      if (login === undefined) {
        notes.push(`owner ${oid} of "${g.name}" is in no users.json export: not imported`);
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
      imports.push({ resource: 'okta_push_group', key: g.name, id: `${awsApp.id}/${mapping}` });
    }
  }
  if (awsApp && awsAppSetting && (appGroupIds.get(awsAppSetting.key)?.size ?? 0) > 0) {
    imports.push({ resource: 'okta_app_group_assignments', key: awsAppSetting.key, id: awsApp.id });
    if (!pushMappingsExported && input.settings.okta.groupPush) {
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
