/**
 * Step 4: permission-sets/*.yaml. Looks up the managed policies, reads the
 * inline policy, and checks each permission set against the IAM and IAM
 * Identity Center limits AWS would otherwise refuse at apply time.
 */
import { lookupManagedPolicy, partitionMismatch } from '../../aws/managed-policies';
import { diag, cmp, hasErrors } from '../../diagnostics';
import { readEmbeddedPolicyJson, readPolicyYaml } from '../../iam/read';
import type { YamlFile } from '../../load/parse';
import type { PermissionSetDocument, PolicyDocument } from '../../schema/permission-set';
import { durationSeconds } from '../../util/duration';
import type { CustomerManagedPolicyRef, ManagedPolicyAttachment, PermissionSet, PermissionsBoundary, Settings } from '../types';
import { at, checkFileName, sortByFile, where, type ResolveContext } from './context';
import { DEFAULT_MANAGED_POLICIES_PER_ROLE } from './settings';

/** The IAM role inline policy limit, in characters excluding whitespace. */
export const INLINE_POLICY_MAX_CHARS = 10_240;
/** The IAM Identity Center API limit on an inline policy, in bytes. */
export const INLINE_POLICY_MAX_BYTES = 32_768;
export const SESSION_MIN_SECONDS = 3_600;
export const SESSION_MAX_SECONDS = 43_200;

/** The permission sets, sorted by name, and each by name. */
export interface PermissionSetIndex {
  readonly permissionSets: PermissionSet[];
  readonly byName: Map<string, PermissionSet>;
}

/** What policy ARNs are checked against: the AWS partition, region and managed policy quota of settings.yaml. */
interface AwsTarget {
  readonly partition: string;
  /** The region ARNs are checked against (ACC100); unknown while settings.yaml does not load. */
  readonly region: string | undefined;
  readonly quota: number;
}

/** Every permission set once (ACC031), each resolved on its own. */
export function resolvePermissionSets(ctx: ResolveContext, settings: Settings | undefined): PermissionSetIndex {
  const aws: AwsTarget = {
    partition: settings?.aws.partition ?? 'aws',
    region: settings?.aws.region,
    quota: settings?.aws.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE,
  };
  const permissionSets: PermissionSet[] = [];
  const byName = new Map<string, PermissionSet>();
  for (const { file, data } of sortByFile(ctx.input.permissionSets)) {
    const same = byName.get(data.name);
    if (same) {
      ctx.out.push(diag('ACC031', at(file, ['name']), `permission set "${data.name}" is already declared at ${where(same.source)}`));
      continue;
    }
    checkFileName(file, data.name, 'permission set', ctx.out);
    const ps = resolvePermissionSet(ctx, aws, file, data);
    byName.set(ps.name, ps);
    permissionSets.push(ps);
  }
  permissionSets.sort((a, b) => cmp(a.name, b.name));
  return { permissionSets, byName };
}

function resolvePermissionSet(ctx: ResolveContext, aws: AwsTarget, file: YamlFile, data: PermissionSetDocument): PermissionSet {
  const sessionSeconds = resolveSessionDuration(ctx, file, data);
  const managedPolicies = resolveManagedPolicies(ctx, aws, file, data);
  const customerManagedPolicies = resolveCustomerManagedPolicies(ctx, file, data);
  checkPolicyQuota(ctx, aws.quota, file, data);
  const inline = resolveInlinePolicy(ctx, file, data);
  const permissionsBoundary = resolvePermissionsBoundary(ctx, aws, file, data);
  checkTagKeys(ctx, file, data);
  return {
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
    ...(inline !== undefined ? inline : {}),
    ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
  };
}

/** The session duration in seconds, within what IAM Identity Center accepts (ACC050). */
function resolveSessionDuration(ctx: ResolveContext, file: YamlFile, data: PermissionSetDocument): number | undefined {
  if (data.sessionDuration === undefined) return undefined;
  const sessionSeconds = durationSeconds(data.sessionDuration);
  if (sessionSeconds === undefined || sessionSeconds < SESSION_MIN_SECONDS || sessionSeconds > SESSION_MAX_SECONDS) {
    ctx.out.push(diag('ACC050', at(file, ['sessionDuration']), `session duration ${data.sessionDuration} is outside PT1H..PT12H`,
      'AWS IAM Identity Center accepts 1 to 12 hours'));
  }
  return sessionSeconds;
}

/** AWS managed policies by name or ARN, in ARN order: in the partition (ACC100), known (ACC053, ACC055), once each (ACC026). */
function resolveManagedPolicies(ctx: ResolveContext, aws: AwsTarget, file: YamlFile, data: PermissionSetDocument): ManagedPolicyAttachment[] {
  const managedPolicies: ManagedPolicyAttachment[] = [];
  const seenArns = new Map<string, string>();
  (data.managedPolicies ?? []).forEach((ref, i) => {
    const foreign = aws.region !== undefined ? partitionMismatch(ref, aws.region, 'managed policy ARN') : undefined;
    if (foreign) {
      ctx.out.push(diag('ACC100', at(file, ['managedPolicies', i]), foreign.message, foreign.hint));
      return;
    }
    const r = lookupManagedPolicy(ref, aws.partition);
    if (!r.ok) {
      const customer = r.reason === 'customer-managed';
      ctx.out.push(diag(customer ? 'ACC055' : 'ACC053', at(file, ['managedPolicies', i]), r.message,
        customer ? 'list it under customerManagedPolicies as {name, path}' : undefined));
      return;
    }
    const dup = seenArns.get(r.policy.arn);
    if (dup !== undefined) {
      ctx.out.push(diag('ACC026', at(file, ['managedPolicies', i]), `"${ref}" is the same policy as "${dup}" (${r.policy.arn})`));
      return;
    }
    seenArns.set(r.policy.arn, ref);
    managedPolicies.push({ declared: ref, name: r.policy.name, arn: r.policy.arn });
  });
  managedPolicies.sort((a, b) => cmp(a.arn, b.arn));
  return managedPolicies;
}

/** Customer managed policies, path "/" unless given, in path and name order, once each (ACC026). */
function resolveCustomerManagedPolicies(ctx: ResolveContext, file: YamlFile, data: PermissionSetDocument): CustomerManagedPolicyRef[] {
  const customerManagedPolicies: CustomerManagedPolicyRef[] = [];
  const seenCustomer = new Set<string>();
  (data.customerManagedPolicies ?? []).forEach((c, i) => {
    const ref = { name: c.name, path: c.path ?? '/' };
    const id = `${ref.path}${ref.name}`;
    if (seenCustomer.has(id)) {
      ctx.out.push(diag('ACC026', at(file, ['customerManagedPolicies', i]), `customer managed policy ${id} is listed twice`));
      return;
    }
    seenCustomer.add(id);
    customerManagedPolicies.push(ref);
  });
  customerManagedPolicies.sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name));
  return customerManagedPolicies;
}

/** The IAM quota on the managed and customer managed policies attached to one role (ACC052), counting entries as written. */
function checkPolicyQuota(ctx: ResolveContext, quota: number, file: YamlFile, data: PermissionSetDocument): void {
  const attached = (data.managedPolicies ?? []).length + (data.customerManagedPolicies ?? []).length;
  if (attached <= quota) return;
  ctx.out.push(diag('ACC052', at(file, [data.managedPolicies ? 'managedPolicies' : 'customerManagedPolicies'], 'key'),
    `permission set "${data.name}" attaches ${attached} managed and customer managed policies; the IAM role quota is ${quota}`,
    quota < 20
      ? 'merge policies, or raise the quota with AWS and set aws.managedPoliciesPerRole in settings.yaml'
      : 'merge policies: 20 is the highest quota AWS grants'));
}

/** The inline policy, as YAML or embedded JSON, read strictly and within the IAM size limits (ACC054, ACC051). */
function resolveInlinePolicy(
  ctx: ResolveContext,
  file: YamlFile,
  data: PermissionSetDocument,
): { inlinePolicy: PolicyDocument; inlinePolicyJson: string } | undefined {
  if (data.inlinePolicy === undefined) return undefined;
  // One strict reader for both forms: what it accepts reaches AWS as written (src/iam/read.ts).
  const read = typeof data.inlinePolicy === 'string'
    ? readEmbeddedPolicyJson(file, ['inlinePolicy'], data.inlinePolicy, { syntaxCode: 'ACC054', subject: 'inline policy' })
    : readPolicyYaml(file, ['inlinePolicy']);
  const errs = [...read.diagnostics];
  if (typeof data.inlinePolicy === 'string' && read.doc !== undefined) errs.push(...ctx.validator.validatePolicyDocument(read.doc, file, ['inlinePolicy']));
  ctx.out.push(...errs);
  if (read.doc === undefined || hasErrors(errs)) return undefined;
  const doc = read.doc;
  const inlinePolicy = doc as PolicyDocument;
  const inlinePolicyJson = JSON.stringify(doc);
  const chars = inlinePolicyJson.replace(/\s/g, '').length;
  const bytes = Buffer.byteLength(inlinePolicyJson, 'utf8');
  if (chars > INLINE_POLICY_MAX_CHARS || bytes > INLINE_POLICY_MAX_BYTES) {
    ctx.out.push(diag('ACC051', at(file, ['inlinePolicy'], 'key'),
      `inline policy has ${chars} characters excluding whitespace; the IAM role limit is ${INLINE_POLICY_MAX_CHARS}`,
      'move statements into a customer managed policy or use AWS managed policies'));
  }
  return { inlinePolicy, inlinePolicyJson };
}

/** The permissions boundary: an AWS managed policy in the partition (ACC100, ACC053, ACC055) or a customer managed one. */
function resolvePermissionsBoundary(ctx: ResolveContext, aws: AwsTarget, file: YamlFile, data: PermissionSetDocument): PermissionsBoundary | undefined {
  const pb = data.permissionsBoundary;
  const foreign = pb?.managedPolicy !== undefined && aws.region !== undefined
    ? partitionMismatch(pb.managedPolicy, aws.region, 'permissions boundary ARN')
    : undefined;
  if (foreign) {
    ctx.out.push(diag('ACC100', at(file, ['permissionsBoundary', 'managedPolicy']), foreign.message, foreign.hint));
    return undefined;
  }
  if (pb?.managedPolicy !== undefined) {
    const r = lookupManagedPolicy(pb.managedPolicy, aws.partition);
    if (r.ok) return { managedPolicyArn: r.policy.arn };
    const customer = r.reason === 'customer-managed';
    ctx.out.push(diag(customer ? 'ACC055' : 'ACC053', at(file, ['permissionsBoundary', 'managedPolicy']), r.message,
      customer ? 'use permissionsBoundary.customerManagedPolicy: {name, path}' : undefined));
    return undefined;
  }
  if (pb?.customerManagedPolicy !== undefined) {
    return { customerManagedPolicy: { name: pb.customerManagedPolicy.name, path: pb.customerManagedPolicy.path ?? '/' } };
  }
  return undefined;
}

/** Tag keys AWS reserves (ACC101). */
function checkTagKeys(ctx: ResolveContext, file: YamlFile, data: PermissionSetDocument): void {
  for (const key of Object.keys(data.tags ?? {})) {
    if (/^aws:/i.test(key)) {
      ctx.out.push(diag('ACC101', at(file, ['tags', key], 'key'),
        `tag key "${key}" starts with "${key.slice(0, 4)}", a prefix AWS reserves for its own tags:`
          + ' IAM Identity Center refuses the permission set when the change is applied',
        `rename the tag, such as "${key.slice(4) || 'owner'}"`));
    }
  }
}
