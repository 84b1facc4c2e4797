// Reading the AWS export: the IAM Identity Center instance, the accounts and
// their OUs, the permission sets and their policies, and the account
// assignments of Identity Store groups. Import blocks for what is read are
// added to the context here; files are written later (write.ts).
import { lookupManagedPolicy } from '../aws/managed-policies';
import { cmp } from '../diagnostics';
import { accountName as accountNameSchema, permissionSetName as psNameSchema } from '../schema/common';
import type { ImportContext } from './context';
import { ExportError, ExportFile, jsonFilesUnder } from './exports';

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

export interface ImportedAccount {
  readonly id: string;
  readonly name: string;
  /** The name AWS gives, when it is not kept as the name. */
  readonly description?: string;
  readonly ou: string;
  readonly tags?: Record<string, string>;
}

export interface ImportedPermissionSet {
  readonly name: string;
  readonly arn: string;
  /** The content of permission-sets/NAME.yaml. */
  readonly doc: Record<string, unknown>;
}

/** An account assignment of an Identity Store group, on an imported account. */
export interface GroupAssignment {
  /** The Identity Store group's display name. */
  readonly group: string;
  readonly principalId: string;
  readonly accountId: string;
  readonly psArn: string;
}

/** What the AWS export holds that the later steps use. */
export interface AwsExports {
  readonly instanceArn: string;
  /** The ACTIVE accounts, by name. */
  readonly accounts: readonly ImportedAccount[];
  readonly accountById: ReadonlyMap<string, ImportedAccount>;
  /** Permission set ARN -> permission set, in the order permission-sets.json lists them. */
  readonly permissionSets: ReadonlyMap<string, ImportedPermissionSet>;
  readonly assignments: readonly GroupAssignment[];
}

/** The accounts that are not ACTIVE: id -> "name (id), which is CLOSED". */
type InactiveAccounts = Map<string, string>;

export function readAwsExports(ctx: ImportContext): AwsExports {
  const instanceArn = chooseInstance(ctx.aws('instances.json'), ctx.input.instance);
  const accountsFile = ctx.aws('accounts.json');
  const { accounts, inactiveAccounts } = readAccounts(ctx, accountsFile);
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const permissionSets = readPermissionSets(ctx, instanceArn);
  const storeGroupName = readStoreGroupNames(ctx);
  requireAssignmentExports(ctx, accounts, permissionSets);
  const assignments = readAssignments(ctx, { storeGroupName, accountsFile, accountById, inactiveAccounts, permissionSets });
  return { instanceArn, accounts, accountById, permissionSets, assignments };
}

/** The ACTIVE accounts (named, with their OU and tags), sorted by name; the others noted. */
function readAccounts(ctx: ImportContext, accountsFile: ExportFile): { accounts: ImportedAccount[]; inactiveAccounts: InactiveAccounts } {
  const inactiveAccounts: InactiveAccounts = new Map();
  const listed = accountsFile.list('Accounts').flatMap((a, i) => {
    const id = accountsFile.string(accountsFile.at(a, 'Id'), `Accounts[${i}].Id`);
    const rawName = accountsFile.string(accountsFile.at(a, 'Name'), `Accounts[${i}].Name`);
    if (!/^[0-9]{12}$/.test(id)) accountsFile.fail(`Accounts[${i}].Id`, `"${id}" is not a 12-digit account id`);
    const state = accountState(accountsFile, a, i);
    if (state !== 'ACTIVE') {
      const reason = ACCOUNT_STATE_REASON[state] ?? 'a state accessctl does not know; only ACTIVE accounts are imported';
      ctx.notes.push(`account ${rawName} (${id}) is ${state}: not imported (${reason})`);
      inactiveAccounts.set(id, `${rawName} (${id}), which is ${state}`);
      return [];
    }
    return [{ id, rawName }];
  });
  // Names AWS gives that are valid and have no space stay; the others get a
  // slug (a space would become a quoted AWS CLI profile name), never one a kept name has.
  const keep = (n: string): boolean => ACCOUNT_NAME.test(n) && !n.includes(' ');
  const usedAccountNames = new Set(listed.filter((a) => keep(a.rawName)).map((a) => a.rawName));
  const accounts: ImportedAccount[] = [];
  for (const { id, rawName } of listed) {
    let name = rawName;
    if (!keep(rawName)) {
      name = rawName.toLowerCase().replace(/[^a-z0-9._+@-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
      if (!ACCOUNT_NAME.test(name) || usedAccountNames.has(name)) name = `account-${id}`;
      ctx.notes.push(`account "${rawName}" (${id}) is named ${name}, with "${rawName}" as its description`);
      usedAccountNames.add(name);
    }
    const tagsFile = ctx.awsOptional(`account-tags/${id}.json`);
    accounts.push({
      id,
      name,
      ...(name !== rawName ? { description: rawName } : {}),
      ou: ouPath(ctx.input.awsDir, ctx.input.awsLabel, id),
      ...(tagsFile ? { tags: readTags(tagsFile) } : {}),
    });
  }
  accounts.sort((x, y) => cmp(x.name, y.name));
  return { accounts, inactiveAccounts };
}

/** An account's `State`, or the retired `Status` in exports from before 2026-09-09. */
function accountState(f: ExportFile, account: unknown, i: number): string {
  const state = f.optionalString(f.at(account, 'State'), `Accounts[${i}].State`)
    ?? f.optionalString(f.at(account, 'Status'), `Accounts[${i}].Status`);
  if (state === undefined) f.fail(`Accounts[${i}].State`, 'missing (a string; exports from before 2026-09-09 have Status instead)');
  return state;
}

/** Every permission set permission-sets.json lists, with its policies, boundary and tags. */
function readPermissionSets(ctx: ImportContext, instanceArn: string): Map<string, ImportedPermissionSet> {
  const instanceId = instanceArn.split('/').pop()!;
  const psList = ctx.aws('permission-sets.json');
  const permissionSets = new Map<string, ImportedPermissionSet>();
  const psNames = new Set<string>();
  psList.list('PermissionSets').forEach((arnValue, i) => {
    const arn = psList.string(arnValue, `PermissionSets[${i}]`);
    if (!PERMISSION_SET_ARN.test(arn)) psList.fail(`PermissionSets[${i}]`, `"${arn}" is not a permission set ARN`);
    if (arn.split('/')[1] !== instanceId) {
      const message = `PermissionSets[${i}]: ${arn} belongs to another instance than ${instanceArn}: export again with --instance-arn $I`;
      throw new ExportError(psList.file, message, 'ACC094');
    }
    const ps = readPermissionSet(ctx, { arn, instanceArn, listFile: psList.file, taken: psNames });
    permissionSets.set(arn, ps);
    psNames.add(ps.name);
  });
  return permissionSets;
}

interface PermissionSetToRead {
  readonly arn: string;
  readonly instanceArn: string;
  /** permission-sets.json as shown in messages. */
  readonly listFile: string;
  /** The names of the permission sets read before this one. */
  readonly taken: ReadonlySet<string>;
}

/** permission-sets/ID/: describe.json, the policy attachments, the boundary and the tags. */
function readPermissionSet(ctx: ImportContext, { arn, instanceArn, listFile, taken }: PermissionSetToRead): ImportedPermissionSet {
  const dir = `permission-sets/${arn.split('/').pop()!}`;
  const d = ctx.aws(`${dir}/describe.json`);
  const ps = d.object(d.at(d.data, 'PermissionSet'), 'PermissionSet');
  const name = d.string(ps.Name, 'PermissionSet.Name');
  if (!PS_NAME.test(name)) d.fail('PermissionSet.Name', `"${name}" is not a valid permission set name`);
  const describedArn = d.optionalString(ps.PermissionSetArn, 'PermissionSet.PermissionSetArn');
  if (describedArn !== undefined && describedArn !== arn) {
    d.fail('PermissionSet.PermissionSetArn', `is ${describedArn}, but ${listFile} lists ${arn} for this file`);
  }
  if (taken.has(name)) d.fail('PermissionSet.Name', `"${name}" is the name of two permission sets`);
  const doc: Record<string, unknown> = { name };
  const description = d.optionalString(ps.Description, 'PermissionSet.Description');
  if (description !== undefined) doc.description = description;
  const session = d.optionalString(ps.SessionDuration, 'PermissionSet.SessionDuration');
  if (session !== undefined) doc.sessionDuration = session;
  const relay = d.optionalString(ps.RelayState, 'PermissionSet.RelayState');
  if (relay !== undefined) doc.relayState = relay;

  const at = { ctx, dir, name, arn, instanceArn };
  const managedRefs = readManagedPolicies(at);
  if (managedRefs.length > 0) doc.managedPolicies = managedRefs;
  const customerRefs = readCustomerManagedPolicies(at);
  if (customerRefs.length > 0) doc.customerManagedPolicies = customerRefs;
  const inlinePolicy = readInlinePolicy(at);
  if (inlinePolicy !== undefined) doc.inlinePolicy = inlinePolicy;
  const boundary = readPermissionsBoundary(at);
  if (boundary !== undefined) doc.permissionsBoundary = boundary;
  const tagsFile = ctx.awsOptional(`${dir}/tags.json`);
  if (tagsFile) {
    const tags = readTags(tagsFile);
    if (Object.keys(tags).length > 0) doc.tags = tags;
  }
  ctx.imports.push({ resource: 'aws_ssoadmin_permission_set', key: name, id: `${arn},${instanceArn}` });
  return { name, arn, doc };
}

/** One permission set's directory in the export, and what its import blocks name. */
interface PermissionSetDir {
  readonly ctx: ImportContext;
  /** permission-sets/ID */
  readonly dir: string;
  readonly name: string;
  readonly arn: string;
  readonly instanceArn: string;
}

/** AWS managed policies by name where the name gives the same ARN, else by ARN. */
function readManagedPolicies({ ctx, dir, name, arn, instanceArn }: PermissionSetDir): string[] {
  const managed = ctx.aws(`${dir}/managed-policies.json`);
  return managed.list('AttachedManagedPolicies').map((m, j) => {
    const policyArn = managed.string(managed.at(m, 'Arn'), `AttachedManagedPolicies[${j}].Arn`);
    const policyName = managed.string(managed.at(m, 'Name'), `AttachedManagedPolicies[${j}].Name`);
    const byName = lookupManagedPolicy(policyName, ctx.input.settings.aws.partition);
    ctx.imports.push({ resource: 'aws_ssoadmin_managed_policy_attachment', key: `${name}|${policyArn}`, id: `${policyArn},${arn},${instanceArn}` });
    return byName.ok && byName.policy.arn === policyArn ? policyName : policyArn;
  });
}

function readCustomerManagedPolicies({ ctx, dir, name, arn, instanceArn }: PermissionSetDir): Array<{ name: string; path?: string }> {
  const customer = ctx.awsOptional(`${dir}/customer-managed-policies.json`);
  return (customer?.list('CustomerManagedPolicyReferences') ?? []).map((c, j) => {
    const cname = customer!.string(customer!.at(c, 'Name'), `CustomerManagedPolicyReferences[${j}].Name`);
    const cpath = customer!.optionalString(customer!.at(c, 'Path'), `CustomerManagedPolicyReferences[${j}].Path`) ?? '/';
    ctx.imports.push({
      resource: 'aws_ssoadmin_customer_managed_policy_attachment',
      key: `${name}|${cpath}${cname}`,
      id: `${cname},${cpath},${arn},${instanceArn}`,
    });
    return cpath === '/' ? { name: cname } : { name: cname, path: cpath };
  });
}

/** The inline policy document, parsed; undefined when there is none. */
function readInlinePolicy({ ctx, dir, name, arn, instanceArn }: PermissionSetDir): unknown {
  const inline = ctx.awsOptional(`${dir}/inline-policy.json`);
  const inlineText = inline ? inline.optionalString(inline.at(inline.object(inline.data, ''), 'InlinePolicy'), 'InlinePolicy') : undefined;
  if (inlineText === undefined) return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(inlineText) as unknown;
  } catch {
    inline!.fail('InlinePolicy', 'is not a JSON policy document');
  }
  ctx.imports.push({ resource: 'aws_ssoadmin_permission_set_inline_policy', key: name, id: `${arn},${instanceArn}` });
  return policy;
}

/** The permissions boundary as permission-sets/NAME.yaml has it; undefined when there is none. */
function readPermissionsBoundary({ ctx, dir, name, arn, instanceArn }: PermissionSetDir): Record<string, unknown> | undefined {
  const boundary = ctx.awsOptional(`${dir}/permissions-boundary.json`);
  if (!boundary) return undefined;
  const b = boundary.object(boundary.at(boundary.data, 'PermissionsBoundary'), 'PermissionsBoundary');
  const managedArn = boundary.optionalString(b.ManagedPolicyArn, 'PermissionsBoundary.ManagedPolicyArn');
  let doc: Record<string, unknown>;
  if (managedArn !== undefined) doc = { managedPolicy: managedArn };
  else {
    const ref = boundary.object(b.CustomerManagedPolicyReference, 'PermissionsBoundary.CustomerManagedPolicyReference');
    const bname = boundary.string(ref.Name, 'PermissionsBoundary.CustomerManagedPolicyReference.Name');
    const bpath = boundary.optionalString(ref.Path, 'PermissionsBoundary.CustomerManagedPolicyReference.Path') ?? '/';
    doc = { customerManagedPolicy: bpath === '/' ? { name: bname } : { name: bname, path: bpath } };
  }
  ctx.imports.push({ resource: 'aws_ssoadmin_permissions_boundary_attachment', key: name, id: `${arn},${instanceArn}` });
  return doc;
}

/**
 * Every ACTIVE account needs its assignments exported for every permission
 * set: a failed or skipped call would otherwise import the account with no grants.
 */
function requireAssignmentExports(
  ctx: ImportContext,
  accounts: readonly ImportedAccount[],
  permissionSets: ReadonlyMap<string, ImportedPermissionSet>,
): void {
  const missingAssignments = accounts.flatMap((acc) => [...permissionSets.values()].flatMap((ps) => {
    const rel = `account-assignments/${acc.id}/${ps.arn.split('/').pop()!}.json`;
    return ExportFile.exists(ctx.input.awsDir, rel) ? [] : [{ rel, acc, ps }];
  }));
  if (missingAssignments.length === 0) return;
  const [{ rel, acc, ps }] = missingAssignments as [typeof missingAssignments[number]];
  const more = missingAssignments.length - 1;
  const alsoMissing = more > 0 ? ` (${more} more account and permission set pair${more === 1 ? ' is' : 's are'} missing too)` : '';
  throw new ExportError(
    `${ctx.input.awsLabel}/${rel}`,
    `missing: account ${acc.description ?? acc.name} (${acc.id}) is ACTIVE, and without sso-admin list-account-assignments for it and ${ps.name} `
      + `its assignments would not be imported${alsoMissing}`,
    'ACC095',
    'export the assignments of every ACTIVE account and permission set (docs/import.md), then import again',
  );
}

/** Identity Store group id -> display name (groups.json). */
function readStoreGroupNames(ctx: ImportContext): Map<string, string> {
  const storeGroups = ctx.aws('groups.json');
  const storeGroupName = new Map<string, string>();
  storeGroups.list('Groups').forEach((g, i) => {
    const id = storeGroups.string(storeGroups.at(g, 'GroupId'), `Groups[${i}].GroupId`);
    storeGroupName.set(id, storeGroups.string(storeGroups.at(g, 'DisplayName'), `Groups[${i}].DisplayName`));
  });
  return storeGroupName;
}

interface AssignmentLookups {
  readonly storeGroupName: ReadonlyMap<string, string>;
  readonly accountsFile: ExportFile;
  readonly accountById: ReadonlyMap<string, ImportedAccount>;
  readonly inactiveAccounts: InactiveAccounts;
  readonly permissionSets: ReadonlyMap<string, ImportedPermissionSet>;
}

/** The group assignments on ACTIVE accounts, each once; assignments to users and on other accounts noted. */
function readAssignments(ctx: ImportContext, lookups: AssignmentLookups): GroupAssignment[] {
  const { storeGroupName, accountsFile, accountById, inactiveAccounts, permissionSets } = lookups;
  const assignments: GroupAssignment[] = [];
  const seenAssignments = new Set<string>();
  for (const rel of jsonFilesUnder(ctx.input.awsDir, 'account-assignments')) {
    const f = ctx.aws(rel);
    f.list('AccountAssignments').forEach((a, i) => {
      const at = (k: string): string => f.string(f.at(a, k), `AccountAssignments[${i}].${k}`);
      const accountId = at('AccountId');
      const psArn = at('PermissionSetArn');
      const type = at('PrincipalType');
      const principalId = at('PrincipalId');
      if (type !== 'GROUP') {
        const psName = permissionSets.get(psArn)?.name ?? psArn;
        ctx.notes.push(`an assignment of ${psName} on ${accountId} to a ${type.toLowerCase()} (${principalId}) is not imported: accessctl assigns groups only`);
        return;
      }
      const group = storeGroupName.get(principalId);
      if (group === undefined) f.fail(`AccountAssignments[${i}].PrincipalId`, `group ${principalId} is not in ${ctx.input.awsLabel}/groups.json`);
      if (!permissionSets.has(psArn)) f.fail(`AccountAssignments[${i}].PermissionSetArn`, `${psArn} is not in ${ctx.input.awsLabel}/permission-sets.json`);
      if (!accountById.has(accountId)) {
        const account = inactiveAccounts.get(accountId) ?? `${accountId}, which is not in ${accountsFile.file}`;
        ctx.notes.push(`an assignment of ${permissionSets.get(psArn)!.name} to ${group} on account ${account}, is not imported`);
        return;
      }
      const seenKey = `${principalId},${accountId},${psArn}`;
      if (seenAssignments.has(seenKey)) return; // the same assignment in two export files
      seenAssignments.add(seenKey);
      assignments.push({ group: group!, principalId, accountId, psArn });
    });
  }
  return assignments;
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
    if (!arns.includes(chosen)) {
      throw new ExportError(f.file, `Instances: --instance ${chosen} is not among the ${arns.length} listed: ${shown}`, 'ACC094',
        'name the instance the exports were taken from ($I in docs/import.md)');
    }
    return chosen;
  }
  if (arns.length > 1) {
    throw new ExportError(f.file, `Instances: ${arns.length} IAM Identity Center instances; pass --instance with the one the exports were taken from: ${shown}`,
      'ACC094', 'accessctl import --okta DIR --aws DIR --instance ARN');
  }
  return arns[0]!;
}
