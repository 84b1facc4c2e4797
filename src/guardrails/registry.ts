import type { Rule } from './rule';
import awsAppAssignment from './rules/aws-app-assignment';
import breakGlass from './rules/break-glass';
import confusableLogin from './rules/confusable-login';
import expiredMembers from './rules/expired-members';
import expiringSoon from './rules/expiring-soon';
import groupOwner from './rules/group-owner';
import highPrivilegeExpiry from './rules/high-privilege-expiry';
import highPrivilegeMemberKnown from './rules/high-privilege-member-known';
import inlineAdmin from './rules/inline-admin';
import inlinePolicyLint from './rules/inline-policy-lint';
import maxSessionDuration from './rules/max-session-duration';
import oktaOrgType from './rules/okta-org-type';
import ownerKnown from './rules/owner-known';
import scimTokenAge from './rules/scim-token-age';
import separationOfDuties from './rules/separation-of-duties';
import unusedAccess from './rules/unused-access';
import unusedPermissionSet from './rules/unused-permission-set';

/** Every guardrail, in the order docs/rules.md lists them. A test checks each id matches its file name. */
export const RULES: readonly Rule<Record<string, unknown>>[] = [
  groupOwner,
  ownerKnown,
  awsAppAssignment,
  oktaOrgType,
  scimTokenAge,
  maxSessionDuration,
  highPrivilegeExpiry,
  highPrivilegeMemberKnown,
  confusableLogin,
  breakGlass,
  separationOfDuties,
  inlineAdmin,
  inlinePolicyLint,
  expiredMembers,
  expiringSoon,
  unusedPermissionSet,
  unusedAccess,
] as unknown as readonly Rule<Record<string, unknown>>[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
