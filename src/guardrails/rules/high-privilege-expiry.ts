import type { FromSchema } from 'json-schema-to-ts';
import { isFullAdminPolicy } from '../../aws/managed-policies';
import { grantsFullAdmin } from '../../iam/check';
import { isActive } from '../../model/access';
import type { AccessModel, PermissionSet } from '../../model/types';
import { addDays, dayOf } from '../../util/dates';
import { defineRule } from '../rule';

/** Permission sets the rule treats as high privilege, with the reason for each. */
export function highPrivilegeSets(model: AccessModel, options: { permissionSets: readonly string[]; managedPolicies: readonly string[] }): Map<string, string> {
  const named = new Set(options.permissionSets);
  const policies = new Set(options.managedPolicies);
  const out = new Map<string, string>();
  const reason = (ps: PermissionSet): string | undefined => {
    if (named.has(ps.name)) return 'listed as high privilege in policy.yaml';
    const listed = ps.managedPolicies.find((m) => policies.has(m.name) || policies.has(m.arn));
    if (listed) return `attaches ${listed.name}`;
    const admin = ps.managedPolicies.find((m) => isFullAdminPolicy(m.name));
    if (admin) return `attaches ${admin.name}, which allows * on *`;
    if (ps.inlinePolicy !== undefined && grantsFullAdmin(ps.inlinePolicy)) return 'its inline policy allows * on *';
    return undefined;
  };
  for (const ps of model.permissionSets) {
    const r = reason(ps);
    if (r) out.set(ps.name, r);
  }
  return out;
}

const OPTIONS = {
  type: 'object',
  properties: {
    maxDays: { type: 'integer', title: 'maximum days ahead', minimum: 1, maximum: 3650 },
    permissionSets: { type: 'array', title: 'permission sets that are high privilege', items: { type: 'string' }, uniqueItems: true },
    managedPolicies: { type: 'array', title: 'AWS managed policies that make a permission set high privilege', items: { type: 'string' }, uniqueItems: true },
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'high-privilege-expiry',
  title: 'high-privilege access is temporary',
  severity: 'error',
  rationale: 'Standing administrator access is the access most worth stealing and the least often reviewed. Every member of a group that grants a ' +
      'high-privilege permission set must have an expires date, at most maxDays ahead, so the access ends unless someone renews it on purpose.',
  remediation: 'Give the member an expires date within maxDays (and a reason), or move standing access to a lower-privilege permission set; a lasting ' +
      'exception needs a waiver with a reason.',
  options: OPTIONS,
  defaults: { maxDays: 90, permissionSets: [], managedPolicies: ['AdministratorAccess'] },
  check(model, { options, today }) {
    const high = highPrivilegeSets(model, options);
    const limit = addDays(today, options.maxDays);
    const findings = [];
    for (const g of model.groups) {
      const sets = [...new Set(g.grants.filter((gr) => high.has(gr.permissionSet) && gr.accountIds.length > 0).map((gr) => gr.permissionSet))].sort();
      if (sets.length === 0) continue;
      const why = sets.map((s) => `${s} (${high.get(s)})`).join(', ');
      for (const m of g.members) {
        if (!isActive(m, today)) continue;
        if (m.expires === undefined) {
          findings.push({ subject: `${g.name}|${m.login}`, at: m.source, message: `${m.login} has standing access to ${why} through "${g.name}": ` +
              `high-privilege membership needs an expires date` });
        } else if (dayOf(m.expires) > limit) {
          findings.push({ subject: `${g.name}|${m.login}`, at: m.source, message: `${m.login} keeps ${why} through "${g.name}" until ${m.expires}, more ` +
              `than ${options.maxDays} days ahead (latest allowed: ${limit})` });
        }
      }
    }
    return findings;
  },
});
