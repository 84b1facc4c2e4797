import data from './managed-policies.json';
import { suggest } from '../util/suggest';

export interface ManagedPolicy {
  readonly name: string;
  /** The IAM path, "/" or like "/job-function/". */
  readonly path: string;
  readonly arn: string;
}

export type ManagedPolicyLookup =
  | { readonly ok: true; readonly policy: ManagedPolicy }
  | { readonly ok: false; readonly reason: 'unknown' | 'deprecated' | 'customer-managed' | 'service-role'; readonly message: string };

const POLICIES: Readonly<Record<string, string>> = data.policies;
const DEPRECATED: ReadonlySet<string> = new Set(data.deprecated);
const FULL_ADMIN: ReadonlySet<string> = new Set(data.fullAdmin);

/** True for an AWS managed policy whose document allows every action on every resource (AdministratorAccess). */
export function isFullAdminPolicy(name: string): boolean {
  return FULL_ADMIN.has(name);
}

/** The ARN partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * When `arn` names another partition than `region`'s: the message and the
 * ARN written for the region's partition (AWS refuses such an ARN at apply).
 */
export function partitionMismatch(arn: string, region: string, what: string): { message: string; hint: string } | undefined {
  const m = /^arn:([^:]*):/.exec(arn);
  const expected = partitionOf(region);
  if (!m || m[1] === expected) return undefined;
  return {
    message: `${what} "${arn}" is in partition ${m[1] || '(none)'}, but region ${region} is in partition ${expected}: AWS refuses the ARN when the change ` +
        `is applied`,
    hint: `write arn:${expected}:${arn.slice(m[0].length)}`,
  };
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(aws|[0-9]{12}):policy(\/.*)$/;

/**
 * Resolves an AWS managed policy given by bare name ("ViewOnlyAccess"), by
 * path and name ("job-function/ViewOnlyAccess") or by ARN, to its real ARN
 * with the path included.
 */
export function lookupManagedPolicy(ref: string, partition = 'aws'): ManagedPolicyLookup {
  let name = ref;
  let path: string | undefined;
  const m = ARN.exec(ref);
  if (m) {
    if (m[2] !== 'aws') {
      return {
        ok: false,
        reason: 'customer-managed',
        message: `"${ref}" is a customer managed policy in account ${m[2]}, not an AWS managed policy`,
      };
    }
    const slash = m[3].lastIndexOf('/');
    path = m[3].slice(0, slash + 1);
    name = m[3].slice(slash + 1);
    partition = m[1];
  } else if (ref.includes('/')) {
    const slash = ref.lastIndexOf('/');
    path = `/${ref.slice(0, slash + 1).replace(/^\/+/, '')}`;
    name = ref.slice(slash + 1);
  }
  const known = Object.prototype.hasOwnProperty.call(POLICIES, name) ? POLICIES[name] : undefined;
  if (known === undefined || (path !== undefined && path !== known)) {
    if (known === undefined && DEPRECATED.has(name)) {
      return { ok: false, reason: 'deprecated', message: `AWS managed policy "${name}" is deprecated and can no longer be attached` };
    }
    const [best] = suggest(name, Object.keys(POLICIES));
    const hintName = known !== undefined ? name : best;
    const did = hintName === undefined ? '' : ` (did you mean "${hintName}", ${arnOf(hintName, POLICIES[hintName], partition)}?)`;
    return { ok: false, reason: 'unknown', message: `unknown AWS managed policy "${ref}"${did}` };
  }
  if (known === '/aws-service-role/') {
    return {
      ok: false,
      reason: 'service-role',
      message: `"${name}" is a service-linked role policy; AWS does not allow attaching it to a permission set`,
    };
  }
  return { ok: true, policy: { name, path: known, arn: arnOf(name, known, partition) } };
}

function arnOf(name: string, path: string, partition: string): string {
  return `arn:${partition}:iam::aws:policy${path}${name}`;
}

export function managedPolicyCount(): number {
  return Object.keys(POLICIES).length;
}
