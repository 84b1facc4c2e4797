import type { ApprovalRule } from './rule';
import groupApprovers from './rules/group-approvers';
import groupOwners from './rules/group-owners';
import highPrivilegeApprovers from './rules/high-privilege-approvers';
import paths from './rules/paths';
import scopedApprovers from './rules/scoped-approvers';
import securityTeam from './rules/security-team';
import sharedFiles from './rules/shared-files';

/** Every approval rule, in the order docs/rules.md lists them. A test checks each id matches its file name. */
export const APPROVAL_RULES: readonly ApprovalRule<Record<string, unknown>>[] = [
  groupOwners,
  sharedFiles,
  securityTeam,
  groupApprovers,
  highPrivilegeApprovers,
  paths,
  scopedApprovers,
] as unknown as readonly ApprovalRule<Record<string, unknown>>[];

export const APPROVAL_RULE_IDS: readonly string[] = APPROVAL_RULES.map((r) => r.id);
