// The AccessModel: everything declared under access/, cross-checked and
// resolved. It is deeply frozen, its lists are sorted by name or key, and
// every later step (synth, diff, audit, who-can, guardrails) reads only it.

import type { Position } from '../diagnostics';
import type { PolicyDocument } from '../schema/permission-set';

export type Source = Position;

export interface Account {
  readonly name: string;
  /** 12 digits. */
  readonly id: string;
  /** OU path from the root, such as Workloads/Prod. */
  readonly ou: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly source: Source;
}

export interface Person {
  readonly login: string;
  readonly github?: string;
  readonly name?: string;
  readonly source: Source;
}

export interface AwsApp {
  readonly kind: 'aws';
  readonly key: string;
  readonly label: string;
  readonly acsUrl: string;
  readonly issuerUrl: string;
  readonly mfa: 'required' | 'optional';
  /**
   * The Okta group accessctl creates and assigns to the app: its members are
   * the active members of every group pushed to AWS. It is the only group
   * assigned to the app; the pushed groups are never assigned (Okta does not
   * support one group both assigned and pushed).
   */
  readonly assignmentGroup: string;
  /** Where the name is set, or the app's key when it is the default. */
  readonly assignmentGroupSource: Source;
  /** SCIM provisioning as code; absent when provisioning is set up by hand. */
  readonly scim?: { readonly baseUrl: string; readonly tokenIssued: string; readonly tokenIssuedSource: Source };
  readonly source: Source;
}

export interface ExistingApp {
  readonly kind: 'existing';
  readonly key: string;
  readonly label: string;
  readonly id: string;
}

export type App = AwsApp | ExistingApp;

export type Backend =
  | { readonly type: 'local' }
  | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly keyPrefix: string; readonly kmsKeyId?: string };

/** A set of accounts whose assignments live in their own AWS stack, aws-<name>. */
export interface Shard {
  readonly name: string;
  readonly selector: AccountSelector;
  /** The accounts this shard holds (the first matching shard wins), sorted. */
  readonly accountIds: readonly string[];
}

export interface Settings {
  readonly okta: {
    readonly org: string;
    /**
     * Okta Identity Engine or Classic: app sign-on policies exist only on
     * Identity Engine. Optional in the schema so that revisions written before
     * it existed still load (diff bases, audit history); the okta-org-type
     * guardrail requires it in the files being synthesized.
     */
    readonly orgType?: 'identity-engine' | 'classic';
    readonly baseUrl: string;
    /** Manage Group Push to the AWS app with okta_push_group (Okta provider >= 6.6.0). */
    readonly groupPush: boolean;
    /** Percent of each Okta rate limit bucket Terraform may use. */
    readonly maxApiCapacity: number;
    /** Sorted by key. */
    readonly apps: readonly App[];
  };
  readonly aws: {
    readonly region: string;
    readonly partition: string;
    readonly startUrl: string;
    readonly instanceArn?: string;
    readonly identityStoreId?: string;
    readonly managedPoliciesPerRole: number;
  };
  readonly backend: Backend;
  /** GitHub review settings (accessctl codeowners). */
  readonly github: {
    readonly securityTeam?: string;
    /** Other teams policy.yaml approval rules may name (@org/slug). */
    readonly teams?: readonly string[];
  };
  /** AWS assignment shards, in declared order. */
  readonly shards: readonly Shard[];
  readonly source: Source;
}

export interface ManagedPolicyAttachment {
  /** As written in the file. */
  readonly declared: string;
  readonly name: string;
  readonly arn: string;
}

export interface CustomerManagedPolicyRef {
  readonly name: string;
  /** "/" unless given. */
  readonly path: string;
}

export type PermissionsBoundary =
  | { readonly managedPolicyArn: string }
  | { readonly customerManagedPolicy: CustomerManagedPolicyRef };

export interface PermissionSet {
  readonly name: string;
  /** Where sessionDuration and inlinePolicy are written, when they are. */
  readonly sessionDurationSource?: Source;
  readonly inlinePolicySource?: Source;
  readonly description?: string;
  /** ISO 8601, PT1H..PT12H; absent means the AWS default (PT1H). */
  readonly sessionDuration?: string;
  readonly sessionSeconds?: number;
  readonly relayState?: string;
  /** Sorted by ARN. */
  readonly managedPolicies: readonly ManagedPolicyAttachment[];
  /** Sorted by path and name. */
  readonly customerManagedPolicies: readonly CustomerManagedPolicyRef[];
  readonly inlinePolicy?: PolicyDocument;
  /** The inline policy as minified JSON, the form AWS stores. */
  readonly inlinePolicyJson?: string;
  readonly permissionsBoundary?: PermissionsBoundary;
  readonly tags: Readonly<Record<string, string>>;
  readonly source: Source;
}

export interface Member {
  /** The login as written. */
  readonly login: string;
  /** The login folded for comparison: lower case, accents removed. */
  readonly key: string;
  /** The last day of access, YYYY-MM-DD. */
  readonly expires?: string;
  readonly reason?: string;
  /** Granted through accessctl break-glass (policy.yaml breakGlass): hours long, with a retrospective. */
  readonly breakGlass?: boolean;
  readonly source: Source;
}

export type AccountSelector =
  | { readonly kind: 'list'; readonly refs: readonly string[] }
  | { readonly kind: 'match'; readonly ou?: string; readonly tags?: Readonly<Record<string, string>> };

export interface Grant {
  readonly permissionSet: string;
  readonly selector: AccountSelector;
  /** The accounts the selector resolves to, sorted by id. */
  readonly accountIds: readonly string[];
  readonly source: Source;
}

export interface Owner {
  readonly login: string;
  readonly source: Source;
}

export interface Group {
  readonly name: string;
  readonly description?: string;
  readonly owners: readonly Owner[];
  readonly mode: 'authoritative' | 'additive';
  /** Sorted by login key. */
  readonly members: readonly Member[];
  /** App keys, sorted. */
  readonly apps: readonly string[];
  /** In declared order. */
  readonly grants: readonly Grant[];
  /** True when the group is assigned to the AWS IAM Identity Center app (SCIM pushes it). */
  readonly pushedToAws: boolean;
  readonly source: Source;
}

/** One AWS account assignment: a group holds a permission set on an account. */
export interface Assignment {
  /** "<group>|<permission set>|<account id>": the stable Terraform key. */
  readonly key: string;
  readonly group: string;
  readonly permissionSet: string;
  readonly accountId: string;
  readonly accountName: string;
  /** The grants that produce it. */
  readonly sources: readonly Source[];
}

export type RuleSetting = boolean | Readonly<Record<string, unknown>>;

/** An accepted exception to one guardrail finding, with a reason and an end date. */
export interface Waiver {
  readonly rule: string;
  readonly subject: string;
  readonly reason: string;
  /** The last day the waiver applies, YYYY-MM-DD. */
  readonly expires: string;
  readonly approvedBy?: string;
  readonly source: Source;
}

/** policy.yaml breakGlass: who may be granted hours-long access with accessctl break-glass. */
export interface BreakGlassPolicy {
  readonly groups: readonly string[];
  /** Okta logins. */
  readonly users: readonly string[];
  readonly maxHours: number;
  /** Logins or @org/team: one approval from them lets a break-glass change merge. */
  readonly approvers: readonly string[];
  /** Logins whose own break-glass grant needs no approval. */
  readonly withoutApproval: readonly string[];
  readonly source: Source;
}

/** policy.yaml sensitiveActions, as written. */
export interface SensitiveActionsPolicy {
  readonly actions: readonly string[];
  readonly source: Source;
}

export interface Policy {
  /** policy.yaml rules as written: false turns a rule off, a mapping sets its options. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly ruleSources: Readonly<Record<string, Source>>;
  /** policy.yaml approvals as written, by approval rule id. */
  readonly approvals: Readonly<Record<string, RuleSetting>>;
  readonly approvalSources: Readonly<Record<string, Source>>;
  readonly breakGlass?: BreakGlassPolicy;
  /** policy.yaml sensitiveActions: the action patterns reported by name (absent: DEFAULT_SENSITIVE_ACTIONS, src/iam/sensitive.ts). */
  readonly sensitiveActions?: SensitiveActionsPolicy;
  readonly waivers: readonly Waiver[];
  /** policy.yaml itself, when there is one. */
  readonly source?: Source;
}

export interface AccessModel {
  readonly settings: Settings;
  /** Sorted by name. */
  readonly accounts: readonly Account[];
  /** Sorted by login key. */
  readonly people: readonly Person[];
  /** Sorted by name. */
  readonly permissionSets: readonly PermissionSet[];
  /** Sorted by name. */
  readonly groups: readonly Group[];
  /** Sorted by key. */
  readonly assignments: readonly Assignment[];
  /** Guardrail settings and waivers from policy.yaml (empty when there is none). */
  readonly policy: Policy;
  /** Existing objects the first apply adopts (imports.yaml, written by accessctl import); empty when there is none. */
  readonly imports: readonly ImportEntry[];
}

/** An existing object to adopt: the resource instance it becomes and the id Terraform imports it by. */
export interface ImportEntry {
  readonly resource: string;
  readonly key: string;
  readonly id: string;
  readonly source: Source;
}

export function assignmentKey(group: string, permissionSet: string, accountId: string): string {
  return `${group}|${permissionSet}|${accountId}`;
}
