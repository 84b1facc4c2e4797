import type { FromSchema } from 'json-schema-to-ts';
import { defineApprovalRule } from '../rule';
import { securityTeamRequirement } from '../approvers';

const OPTIONS = {
  type: 'object',
  properties: {
    highPrivilege: {
      type: 'boolean',
      title: 'high-privilege grants need the security team',
      description: 'permission sets high-privilege-expiry treats as high privilege',
    },
    production: {
      type: 'boolean',
      title: 'changes on production accounts need the security team',
      description: 'accounts tagged prod or production: access granted or removed there, and changes to the permission sets assigned there',
    },
  },
} as const;

export default defineApprovalRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'security-team',
  title: 'the security team approves high-privilege grants and production changes',
  onByDefault: true,
  rationale: 'An administrator grant or a change on a production account is where a mistaken or malicious approval costs most, and a group owner may be ' +
      'the person who benefits. The security team (settings.yaml github.securityTeam) approves these as well as the owners.',
  remediation: 'Ask a member of the security team to approve the pull request at its latest commit.',
  options: OPTIONS,
  defaults: { highPrivilege: true, production: true },
  requirements(facts, options) {
    const reasons: string[] = [];
    if (options.highPrivilege && facts.highPrivilege.length > 0) {
      const sets = [...new Set(facts.highPrivilege.map((r) => `${r.permissionSet} on ${r.account}`))];
      reasons.push(`it grants ${sets.slice(0, 3).join(', ')}${sets.length > 3 ? ', …' : ''} (high privilege)`);
    }
    if (options.production && facts.production.length > 0) reasons.push(`it ` +
        `${facts.production.slice(0, 3).join('; ')}${facts.production.length > 3 ? '; …' : ''} (production)`);
    if (reasons.length === 0) return [];
    const team = securityTeamRequirement(facts.base);
    return [{ rule: 'security-team', subject: 'security-team', who: team.who, why: reasons.join('; '), users: team.users, teams: team.teams, count: 1 }];
  },
});
