import { defineApprovalRule } from '../rule';
import { resolveApprovers } from '../approvers';

const OPTIONS = {
  type: 'object',
  properties: {
    groups: {
      type: 'object',
      title: 'approvers by group',
      description: 'group name -> people (Okta logins of people.yaml) or teams (@org/slug) of whom one must approve any change to that group, as well as ' +
          'its owners',
      minProperties: 1,
      additionalProperties: {
        type: 'array',
        title: 'approvers',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', title: 'approver', minLength: 1, maxLength: 256 },
      },
    },
  },
} as const;

export default defineApprovalRule<{ groups: Readonly<Record<string, readonly string[]>> }>({
  id: 'group-approvers',
  title: 'named approvers for named groups',
  onByDefault: false,
  rationale: 'Some groups need a second voice besides their owners: the payments leads for payments administrators, the on-call managers for the incident ' +
      'responders. Each group listed needs one approval from its approvers too.',
  remediation: 'Ask one of the group\'s approvers listed in policy.yaml to approve at the latest commit.',
  options: OPTIONS,
  defaults: { groups: {} },
  references: (options) => Object.entries(options.groups).flatMap(([g, list]) => [
    { kind: 'group' as const, value: g, path: ['groups', g] },
    ...list.map((a, i) => ({ kind: 'approver' as const, value: a, path: ['groups', g, i] })),
  ]),
  requirements(facts, options) {
    return facts.groups
      .filter((g) => options.groups[g.name] !== undefined)
      .map((g) => {
        const { users, teams } = resolveApprovers(options.groups[g.name], facts.base);
        const who = [...users.map((u) => `@${u}`), ...teams].join(', ');
        return {
          rule: 'group-approvers',
          subject: g.name,
          who: `an approver of ${g.name} (${who})`,
          why: `policy.yaml names approvers for ${g.name}`,
          users,
          teams,
          count: 1,
        };
      });
  },
});
