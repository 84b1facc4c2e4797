import type { MembershipRecord } from '../../audit/walk';
import type { MemberUsage } from '../../usage/rows';
import type { UnusedThresholds } from '../../usage/threshold';

/**
 * A membership on the sheet: `expired` when its time has passed but its entry is still in the file (to remove);
 * with review --usage, its last use and whether it is unused past the threshold.
 */
export interface ReviewMember extends MembershipRecord {
  readonly expired?: true;
  readonly usage?: MemberUsage;
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
  /** With review --usage: the file (as shown), the first day it covers, its latest event, and the thresholds. */
  readonly usage?: SheetUsage;
}

export interface SheetUsage {
  readonly file: string;
  readonly window: string | null;
  readonly until: string | null;
  readonly thresholds: UnusedThresholds;
}
