import { defineApprovalRule } from '../rule';
import { securityTeamRequirement } from '../approvers';

export default defineApprovalRule<Record<string, never>>({
  id: 'shared-files',
  title: 'the security team approves changes outside group files',
  onByDefault: true,
  rationale: 'settings.yaml, accounts, permission sets, people.yaml (which maps logins to the GitHub handles that approve) and policy.yaml (which holds ' +
      'these rules) shape everyone\'s access, and no group owner speaks for them.',
  remediation: 'Ask a member of the security team to approve the pull request at its latest commit.',
  options: { type: 'object', properties: {} },
  defaults: {},
  requirements(facts) {
    if (facts.sharedFiles.length === 0) return [];
    const team = securityTeamRequirement(facts.base);
    const shown = facts.sharedFiles.slice(0, 5).join(', ') + (facts.sharedFiles.length > 5 ? `, and ${facts.sharedFiles.length - 5} more` : '');
    return [{ rule: 'shared-files', subject: 'shared-files', who: team.who, why: `the change edits ${shown}`, users: team.users, teams: team.teams, count: 1 }];
  },
});
