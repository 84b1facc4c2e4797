import type { FromSchema } from 'json-schema-to-ts';
import { defineApprovalRule } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    count: { type: 'integer', title: 'distinct approvers', minimum: 2, maximum: 5 },
  },
} as const;

export default defineApprovalRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'high-privilege-approvers',
  title: 'high-privilege grants need several distinct approvers',
  onByDefault: false,
  rationale: 'Four eyes are not enough for some organisations when someone becomes an administrator: with this rule a high-privilege grant needs `count` ' +
      'distinct people whose approval counts, whoever they are, on top of the owners and the security team.',
  remediation: 'Ask another reviewer (an owner, the security team, or anyone who may review the repository) to approve at the latest commit.',
  options: OPTIONS,
  defaults: { count: 2 },
  requirements(facts, options) {
    if (facts.highPrivilege.length === 0) return [];
    return [
      {
        rule: 'high-privilege-approvers',
        subject: 'high-privilege',
        who: `${options.count} distinct reviewers`,
        why: 'the change grants high-privilege access',
        users: [],
        teams: [],
        count: options.count,
        anyReviewer: true,
      },
    ];
  },
});
