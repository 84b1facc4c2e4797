import type { FromSchema } from 'json-schema-to-ts';
import type { AccessModel } from '../../model/types';
import type { UsageIndex } from '../../usage/file';
import { describeLastUse, unusedMemberships } from '../../usage/unused';
import { defineRule } from '../rule';
import highPrivilegeExpiry, { highPrivilegeSets } from './high-privilege-expiry';

// Rules are pure functions of the model; usage is not part of the model, so
// `validate --usage FILE` lends the file to this rule for the length of one
// check (withUsage). Without it the rule finds nothing and says nothing.
let lent: UsageIndex | undefined;

/** Runs `fn` with the usage file visible to the unused-access rule, and takes it back after. */
export function withUsage<T>(usage: UsageIndex | undefined, fn: () => T): T {
  const before = lent;
  lent = usage;
  try {
    return fn();
  } finally {
    lent = before;
  }
}

/** The permission sets high-privilege-expiry treats as high privilege (its options from policy.yaml, its defaults when it is off). */
export function highPrivilegeOf(model: AccessModel): Set<string> {
  const setting = model.policy.rules[highPrivilegeExpiry.id];
  const options = { ...highPrivilegeExpiry.defaults, ...(typeof setting === 'object' ? (setting as Partial<typeof highPrivilegeExpiry.defaults>) : {}) };
  return new Set(highPrivilegeSets(model, options).keys());
}

const OPTIONS = {
  type: 'object',
  properties: {
    days: { type: 'integer', title: 'days a membership may go unused', minimum: 1, maximum: 3650 },
    highPrivilegeDays: { type: 'integer', title: 'days a high-privilege membership may go unused', minimum: 1, maximum: 3650 },
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'unused-access',
  title: 'high-privilege access is used',
  severity: 'warning',
  rationale: 'Access nobody uses is risk without benefit, and high-privilege access most of all. With a usage file from CloudTrail ' +
      '(accessctl usage, then validate --usage FILE), a member of a group that grants a high-privilege permission set (as high-privilege-expiry ' +
      'defines it) whose every account and permission set went unused for more than highPrivilegeDays is reported. days is the threshold ' +
      'accessctl unused and review apply to other access. Without --usage the rule reports nothing.',
  remediation: 'Remove the membership (accessctl unused --usage FILE --write does it for every unused one), or, when the access must stay for ' +
      'an emergency, a waiver with a reason.',
  options: OPTIONS,
  defaults: { days: 90, highPrivilegeDays: 30 },
  check(model, { options, today }) {
    if (lent === undefined) return [];
    const high = highPrivilegeOf(model);
    const found = unusedMemberships(model, lent, { thresholds: options, highPrivilege: high, today }).filter((u) => u.highPrivilege);
    const since = lent.file.since;
    return found.map((u) => {
      const member = model.groups.find((g) => g.name === u.group)!.members.find((m) => m.login === u.login)!;
      const sets = [...new Set(u.rows.map((r) => r.permissionSet).filter((p) => high.has(p)))].sort().join(', ');
      return {
        subject: `${u.group}|${u.login}`,
        at: member.source,
        message: `${u.login} has ${sets} through "${u.group}" and has not used it in more than ${u.days} days: ${describeLastUse(u, today, since)}`,
      };
    });
  },
});
