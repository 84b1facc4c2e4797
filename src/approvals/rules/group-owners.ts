import { defineApprovalRule } from '../rule';
import { securityTeamRequirement } from '../approvers';

export default defineApprovalRule<Record<string, never>>({
  id: 'group-owners',
  title: 'an owner of every group the change touches approves',
  onByDefault: true,
  rationale: 'The owners of a group know who should be in it and what it should give. Each group a change touches needs one approval from an owner of that ' +
      'group as the default branch names them, so a change cannot appoint its own approvers. A new group, or one whose owners have no GitHub handle, ' +
      'needs the security team instead.',
  remediation: 'Ask one of the listed owners to approve the pull request at its latest commit.',
  options: { type: 'object', properties: {} },
  defaults: {},
  requirements(facts) {
    return facts.groups.map((g) => {
      if (g.ownerHandles.length > 0) {
        return {
          rule: 'group-owners',
          subject: g.name,
          who: `an owner of ${g.name}`,
          why: `the change touches ${g.name}`,
          users: g.ownerHandles,
          teams: [],
          count: 1,
        };
      }
      const team = securityTeamRequirement(facts.base);
      const why = g.isNew ? `${g.name} is a new group, and nobody owns it yet` : `no owner of ${g.name} has a GitHub handle in people.yaml`;
      return { rule: 'group-owners', subject: g.name, who: team.who, why, users: team.users, teams: team.teams, count: 1 };
    });
  },
});
