import type { MembershipRecord } from '../../audit/walk';

export interface ReviewGroup {
  readonly name: string;
  readonly description?: string;
  readonly owners: readonly string[];
  readonly mode: string;
  /** What membership gives: "PermissionSet on account, …", or "Okta only". */
  readonly grants: readonly string[];
  readonly members: readonly MembershipRecord[];
}

export interface ReviewSheet {
  readonly groups: readonly ReviewGroup[];
  readonly generated: string;
  readonly repoUrl?: string;
}
