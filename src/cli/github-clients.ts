import { GitHubClient } from '../github/api';
import { UsageError } from './args';

/**
 * The GitHub clients of a command run in Actions: one with GITHUB_TOKEN, and
 * one for team membership with ACCESSCTL_GITHUB_TEAMS_TOKEN (organization
 * "Members: read"; GITHUB_TOKEN when unset). GITHUB_API_URL points both
 * elsewhere (GitHub Enterprise Server, or a test's recorded responses).
 */
export function githubClients(repo: string, env: Readonly<Record<string, string | undefined>>): { client: GitHubClient; teams: GitHubClient } {
  const apiUrl = env.GITHUB_API_URL || undefined;
  const token = env.GITHUB_TOKEN || undefined;
  const teamsToken = env.ACCESSCTL_GITHUB_TEAMS_TOKEN || token;
  try {
    return {
      client: new GitHubClient(repo, { ...(token ? { token } : {}), ...(apiUrl ? { apiUrl } : {}) }),
      teams: new GitHubClient(repo, { ...(teamsToken ? { token: teamsToken } : {}), ...(apiUrl ? { apiUrl } : {}) }),
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
