// Approvers as policy.yaml names them: an Okta login of people.yaml (its
// GitHub handle approves) or a GitHub team written @org/slug.
import { cmp } from '../diagnostics';
import { GITHUB_TEAM } from '../github/api';
import { foldLogin } from '../model/logins';
import type { AccessModel } from '../model/types';


/** The GitHub handles and teams behind a list of approvers, sorted; logins without a handle are left out (policy validation refuses them). */
export function resolveApprovers(refs: readonly string[], model: AccessModel): { users: string[]; teams: string[] } {
  const handles = new Map(model.people.filter((p) => p.github !== undefined).map((p) => [foldLogin(p.login), p.github!]));
  const users = new Set<string>();
  const teams = new Set<string>();
  for (const r of refs) {
    if (GITHUB_TEAM.test(r)) teams.add(r);
    else {
      const h = handles.get(foldLogin(r));
      if (h !== undefined) users.add(h);
    }
  }
  return { users: [...users].sort(cmp), teams: [...teams].sort(cmp) };
}

/** Teams policy.yaml may name: the security team and settings.yaml github.teams. */
export function knownTeams(model: AccessModel): Set<string> {
  const out = new Set((model.settings.github.teams ?? []).map((t) => t.toLowerCase()));
  if (model.settings.github.securityTeam !== undefined) out.add(model.settings.github.securityTeam.toLowerCase());
  return out;
}

/** "the security team (@org/security)", or words saying there is none. */
export function securityTeamRequirement(model: AccessModel): { who: string; users: string[]; teams: string[] } {
  const team = model.settings.github.securityTeam;
  if (team === undefined) return { who: 'the security team (none is set: settings.yaml github.securityTeam)', users: [], teams: [] };
  // securityTeam may name one person (@user) rather than a team.
  return GITHUB_TEAM.test(team) ? {
    who: `the security team (${team})`,
    users: [],
    teams: [team],
  } : { who: `the security team (${team})`, users: [team.slice(1)], teams: [] };
}
