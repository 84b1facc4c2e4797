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
  readonly members: readonly ReviewMember[];
}

export interface ReviewSheet {
  readonly groups: readonly ReviewGroup[];
  readonly generated: string;
  readonly repoUrl?: string;
}
