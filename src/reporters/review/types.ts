import type { MembershipRecord } from '../../audit/walk';

/** A membership on the sheet: `expired` when its time has passed but its entry is still in the file (to remove). */
export interface ReviewMember extends MembershipRecord {
  readonly expired?: true;
}

export interface ReviewGroup {
  readonly name: string;
  readonly description?: string;
  readonly owners: readonly string[];
  readonly mode: string;
  /** What membership gives: "PermissionSet on account, …", or "Okta only". */
  readonly grants: readonly string[];
  /** The sensitive actions (policy.yaml sensitiveActions) each distinct permission set of the grants gives, in grant order: what membership brings. */
  readonly sensitive: readonly SensitiveGrant[];
  readonly members: readonly ReviewMember[];
}

/** A permission set of a group's grants and the sensitive actions it gives, as labels ("iam:Create* (3 of 40)", "s3:GetObject, conditional"); empty: none. */
export interface SensitiveGrant {
  readonly permissionSet: string;
  readonly actions: readonly string[];
}

export interface ReviewSheet {
  readonly groups: readonly ReviewGroup[];
  readonly generated: string;
  readonly repoUrl?: string;
}
