// The GitHub REST client against recorded responses (test/fixtures/github/).
import { GitHubApiError, GitHubClient, type GitHubClientOptions, type GitHubUser } from '../../src/github/api';
import { fakeTime, startReplay, type Recording, type Replay } from '../support/github-replay';

const TOKEN = 'ghp_replayTest0123456789abcdefABCDEF0123';
const HEAD = '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e';
const OLD = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const REPO = '/repos/northwind/access';
const BOT: GitHubUser = { login: 'github-actions[bot]', type: 'Bot' };

function human(login: string): GitHubUser {
  return { login, type: 'User' };
}

let replay: Replay | undefined;

afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

async function client(scenario: string | Recording, options: Partial<GitHubClientOptions> = {}): Promise<GitHubClient> {
  replay = await startReplay(scenario);
  return new GitHubClient('northwind/access', { token: TOKEN, apiUrl: replay.url, ...options });
}

function served(): Replay {
  if (replay === undefined) throw new Error('no replay is running');
  return replay;
}

/** What a call rejects with; every message is checked for the token on the way. */
async function failure(call: Promise<unknown>): Promise<Error> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) throw new Error(`expected a rejection with an Error, got ${String(error)}`);
  expect(error.message).not.toContain(TOKEN);
  return error;
}

/** A GitHubApiError's message, status and path. */
async function apiFailure(call: Promise<unknown>): Promise<{ message: string; status?: number; path: string }> {
  const e = await failure(call);
  expect(e).toBeInstanceOf(GitHubApiError);
  const { status, path } = e as GitHubApiError;
  return { message: e.message, status, path };
}

describe('GitHubClient: the approval scenarios', () => {
  it('reads a pull request the bot opened, its issue, reviews and commits, sending the token and API headers', async () => {
    const gh = await client('self-approval');
    expect(await gh.pullRequest(42)).toStrictEqual({
      number: 42,
      user: BOT,
      headSha: HEAD,
      headRef: 'access-request/issue-41',
      baseRef: 'main',
      body: 'Opened from #41 by accessctl.\n\nCloses #41',
      state: 'open',
      merged: false,
      title: 'Access request #41: dokafor to aws-payments-admins',
      htmlUrl: 'https://github.com/northwind/access/pull/42',
    });
    expect(await gh.issue(41)).toStrictEqual({ number: 41, user: human('dokafor'), title: 'Access request: dokafor to aws-payments-admins', isPullRequest: false });
    expect(await gh.reviews(42)).toStrictEqual([{ id: 3010004271, user: human('dokafor'), state: 'APPROVED', commitId: HEAD, submittedAt: '2025-06-02T08:31:40Z' }]);
    expect(await gh.pullCommits(42)).toStrictEqual([{ sha: HEAD, author: BOT, committer: BOT }]);
    const r = served();
    expect(r.requests).toEqual([
      `GET ${REPO}/pulls/42`,
      `GET ${REPO}/issues/41`,
      `GET ${REPO}/pulls/42/reviews?per_page=100`,
      `GET ${REPO}/pulls/42/commits?per_page=100`,
    ]);
    expect(r.unrecorded).toEqual([]);
    for (const { headers } of r.received) {
      expect(headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'accessctl',
      });
    }
  });

  it('sends no Authorization header without a token', async () => {
    replay = await startReplay('self-approval');
    await new GitHubClient('northwind/access', { apiUrl: replay.url }).pullRequest(42);
    expect(replay.received.map((q) => q.headers.authorization)).toEqual([undefined]);
  });

  it('keeps a stale approval, a dismissed one, a comment and a change request as GitHub lists them', async () => {
    const gh = await client('stale-and-dismissed');
    expect((await gh.pullRequest(42)).user).toStrictEqual(human('ekowalski'));
    expect(await gh.reviews(42)).toStrictEqual([
      { id: 3010008542, user: human('anguyen'), state: 'APPROVED', commitId: OLD, submittedAt: '2025-06-01T15:20:09Z' },
      { id: 3010012813, user: human('bmartin'), state: 'DISMISSED', commitId: HEAD, submittedAt: '2025-06-02T08:20:44Z' },
      { id: 3010017084, user: human('fli'), state: 'COMMENTED', commitId: HEAD, submittedAt: '2025-06-02T08:41:05Z' },
      { id: 3010021355, user: human('gpark'), state: 'CHANGES_REQUESTED', commitId: HEAD, submittedAt: '2025-06-02T09:02:37Z' },
    ]);
    expect(await gh.pullCommits(42)).toStrictEqual([
      { sha: OLD, author: human('ekowalski'), committer: human('ekowalski') },
      { sha: HEAD, author: human('ekowalski'), committer: human('ekowalski') },
    ]);
  });

  it('follows the next link to a second page of reviews, and sorts team members', async () => {
    const gh = await client('security-approved');
    expect(await gh.reviews(42)).toStrictEqual([
      { id: 3010025626, user: human('anguyen'), state: 'APPROVED', commitId: HEAD, submittedAt: '2025-06-02T08:25:13Z' },
      { id: 3010029897, user: human('csmith'), state: 'APPROVED', commitId: HEAD, submittedAt: '2025-06-02T09:11:52Z' },
    ]);
    expect(await gh.teamMembers('@northwind/security')).toEqual(['csmith', 'hschmidt']);
    expect(served().requests).toEqual([
      `GET ${REPO}/pulls/42/reviews?per_page=100`,
      'GET /repositories/880512345/pulls/42/reviews?per_page=100&page=2',
      'GET /orgs/northwind/teams/security/members?per_page=100',
    ]);
    expect(served().received.every((q) => q.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('reads a single approval and the security team', async () => {
    const gh = await client('two-approvers');
    expect(await gh.reviews(42)).toStrictEqual([{ id: 3010034168, user: human('dokafor'), state: 'APPROVED', commitId: HEAD, submittedAt: '2025-06-02T08:52:19Z' }]);
    expect(await gh.teamMembers('@northwind/security')).toEqual(['csmith', 'hschmidt']);
  });

  it('finds the merged break-glass pull request of a commit, and who merged it', async () => {
    const gh = await client('break-glass');
    expect(await gh.pullsForCommit(HEAD)).toEqual([43]);
    expect(await gh.pullRequest(43)).toStrictEqual({
      number: 43,
      user: BOT,
      headSha: HEAD,
      headRef: 'break-glass/issue-40',
      baseRef: 'main',
      body: 'Opened from #40 by accessctl.\n\nBreak-glass: 4 hours.\n\nCloses #40',
      state: 'closed',
      merged: true,
      mergedBy: human('anguyen'),
      title: 'Break-glass #40: ipetrov to aws-incident-responders',
      htmlUrl: 'https://github.com/northwind/access/pull/43',
    });
    expect(await gh.issue(40)).toStrictEqual({ number: 40, user: human('ipetrov'), title: 'Break-glass: ipetrov to aws-incident-responders', isPullRequest: false });
    expect(await gh.reviews(43)).toStrictEqual([{ id: 3010038439, user: human('bmartin'), state: 'APPROVED', commitId: HEAD, submittedAt: '2025-06-02T03:11:08Z' }]);
    expect(served().requests[0]).toBe(`GET ${REPO}/commits/${HEAD}/pulls?per_page=100`);
  });

  it('says a missing team does not exist or cannot be read, and what the token needs', async () => {
    const gh = await client('team-missing');
    expect(await apiFailure(gh.teamMembers('@northwind/security'))).toEqual({
      message: 'GET /orgs/northwind/teams/security/members?per_page=100: 404 team @northwind/security does not exist or the token cannot read it (the token needs the organization permission "Members: read")',
      status: 404,
      path: '/orgs/northwind/teams/security/members?per_page=100',
    });
  });
});

describe('GitHubClient: odd shapes and failures', () => {
  it('turns a 401 into one line with GitHub\'s message', async () => {
    const gh = await client('edge-cases');
    expect(await apiFailure(gh.pullRequest(7))).toEqual({ message: `GET ${REPO}/pulls/7: 401 Bad credentials`, status: 401, path: `${REPO}/pulls/7` });
  });

  it('says when the rate limit resets: at once when that is past the 15 minutes it waits, after 3 tries of a secondary limit', async () => {
    // The moment of the recordings (the timestamp in pulls/8's message); the injected sleep moves this clock.
    const time = fakeTime(Date.parse('2025-06-02T11:41:02Z'));
    const gh = await client('edge-cases', time.options);
    expect((await apiFailure(gh.pullRequest(8))).message).toBe(
      `GET ${REPO}/pulls/8: 403 rate limited until 2025-06-02T12:00:00Z, 18 min 58 s from now, longer than accessctl waits (15 min in all): API rate limit exceeded for user ID 70418863. If you reach out to GitHub Support for help, please include the request ID 8F3A:2C1B:1D2E3F:4A5B6C:665C2B10 and timestamp 2025-06-02 11:41:02 UTC.`,
    );
    expect(time.slept).toEqual([]);
    expect(await apiFailure(gh.pullRequest(9))).toEqual({
      message: `GET ${REPO}/pulls/9: 429 rate limited until 2025-06-02T11:44:02Z, still after 3 attempts: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.`,
      status: 429,
      path: `${REPO}/pulls/9`,
    });
    expect(time.slept).toEqual([60_000, 60_000]);
    expect(time.logged).toEqual([
      `accessctl: GitHub secondary rate limit on GET ${REPO}/pulls/9: waiting 60 s as retry-after asks, then trying again (attempt 2 of 3)`,
      `accessctl: GitHub secondary rate limit on GET ${REPO}/pulls/9: waiting 60 s as retry-after asks, then trying again (attempt 3 of 3)`,
    ]);
    expect(served().requests).toEqual([`GET ${REPO}/pulls/8`, `GET ${REPO}/pulls/9`, `GET ${REPO}/pulls/9`, `GET ${REPO}/pulls/9`]);
  });

  it('refuses a next link to another origin, before sending anything there', async () => {
    const gh = await client('edge-cases');
    expect((await apiFailure(gh.reviews(10))).message).toBe(
      `GET ${REPO}/pulls/10/reviews?per_page=100: refusing to follow a next-page link to https://api.github.com.evil.example, which is not the API's origin ${served().url}`,
    );
    expect(served().requests).toEqual([`GET ${REPO}/pulls/10/reviews?per_page=100`]);
  });

  it('stops a listing after 100 pages', async () => {
    const gh = await client('edge-cases');
    expect((await apiFailure(gh.pullCommits(11))).message).toBe(`GET ${REPO}/pulls/11/commits?per_page=100: stopped after 100 pages: the listing does not end`);
    expect(served().requests).toHaveLength(100);
  });

  it('names the field of an unexpected response, and reads a non-JSON error page by its status', async () => {
    const gh = await client('edge-cases');
    expect(await apiFailure(gh.pullRequest(12))).toEqual({ message: `GET ${REPO}/pulls/12: unexpected response: head.sha is not a string`, status: 200, path: `${REPO}/pulls/12` });
    expect((await apiFailure(gh.pullRequest(16))).message).toBe(`GET ${REPO}/pulls/16: 502 Bad Gateway`);
  });

  it('gives up on a server that does not answer within timeoutMs', async () => {
    const gh = await client('edge-cases', { timeoutMs: 200 });
    const started = Date.now();
    expect(await apiFailure(gh.pullRequest(13))).toEqual({ message: `GET ${REPO}/pulls/13: no response within 200 ms`, status: undefined, path: `${REPO}/pulls/13` });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads commits of no account, a review of a vanished commit, a pending review, and a pull request seen as an issue', async () => {
    const gh = await client('edge-cases');
    expect(await gh.pullCommits(14)).toStrictEqual([{ sha: HEAD, author: null, committer: null }]);
    expect(await gh.reviews(15)).toStrictEqual([
      { id: 3010046981, user: human('anguyen'), state: 'APPROVED', commitId: '', submittedAt: '2025-05-30T10:02:19Z' },
      { id: 3010051252, user: human('jadams-contractor'), state: 'PENDING', commitId: HEAD },
    ]);
    expect(await gh.issue(42)).toStrictEqual({ number: 42, user: human('ekowalski'), title: 'Add ekowalski to aws-payments-admins', isPullRequest: true });
  });

  it('answers an unrecorded request 599, naming it', async () => {
    const gh = await client('edge-cases');
    expect(await apiFailure(gh.pullRequest(99))).toEqual({
      message: `GET ${REPO}/pulls/99: 599 no recording for GET ${REPO}/pulls/99 in edge-cases.json`,
      status: 599,
      path: `${REPO}/pulls/99`,
    });
    expect(served().unrecorded).toEqual([`GET ${REPO}/pulls/99`]);
  });

  it('reports a refused connection as a network error', async () => {
    const gh = await client('edge-cases');
    await served().close();
    const { message, status } = await apiFailure(gh.pullRequest(7));
    expect(message).toMatch(/^GET \/repos\/northwind\/access\/pulls\/7: network error: connect ECONNREFUSED 127\.0\.0\.1:[0-9]+$/);
    expect(status).toBeUndefined();
  });

  it('keeps the token out of messages that would echo it', async () => {
    const gh = await client({ [`GET ${REPO}/pulls/7`]: { status: 401, body: { message: `token ${TOKEN} is\nnot valid` } } });
    expect((await apiFailure(gh.pullRequest(7))).message).toBe(`GET ${REPO}/pulls/7: 401 token *** is not valid`);
    const throwing: typeof fetch = async () => {
      throw new TypeError(`invalid header value "Bearer ${TOKEN}"`);
    };
    const offline = new GitHubClient('northwind/access', { token: TOKEN, fetch: throwing });
    expect((await apiFailure(offline.pullRequest(7))).message).toBe(`GET ${REPO}/pulls/7: network error: invalid header value "Bearer ***"`);
  });

  it('reads paths below an API URL with a path, as on GitHub Enterprise Server', async () => {
    replay = await startReplay({ [`GET /api/v3${REPO}/pulls/7`]: { status: 401, body: { message: 'Bad credentials' } } });
    const gh = new GitHubClient('northwind/access', { token: TOKEN, apiUrl: `${replay.url}/api/v3/` });
    expect((await apiFailure(gh.pullRequest(7))).message).toBe(`GET ${REPO}/pulls/7: 401 Bad credentials`);
    expect(replay.requests).toEqual([`GET /api/v3${REPO}/pulls/7`]);
  });
});

describe('GitHubClient: arguments', () => {
  it.each(['northwind', 'northwind/', '/access', '-northwind/access', 'north--wind/access', 'north wind/access', 'northwind/..', 'northwind/access/x', 'https://github.com/northwind/access'])(
    'refuses the repository %j',
    (repo) => {
      expect(() => new GitHubClient(repo, {})).toThrow(new Error(`"${repo}" is not a GitHub repository: expected owner/name, such as northwind/access`));
    },
  );

  it.each(['northwind/security', '@northwind', '@northwind/', '@/security', '@northwind/sec urity', '@northwind/security/x', '@north_wind/security'])('refuses the team %j without a request', async (team) => {
    const gh = await client('security-approved');
    const e = await failure(gh.teamMembers(team));
    expect(e).not.toBeInstanceOf(GitHubApiError);
    expect(e.message).toBe(`"${team}" is not a GitHub team: expected @org/team-slug, such as @northwind/security`);
    expect(served().requests).toEqual([]);
  });

  it('refuses numbers that are not pull request numbers, a SHA that is not one, a bad token and a bad API URL', async () => {
    const gh = await client('self-approval');
    expect((await failure(gh.pullRequest(0))).message).toBe('a pull request number must be a positive whole number, not 0');
    expect((await failure(gh.reviews(4.2))).message).toBe('a pull request number must be a positive whole number, not 4.2');
    expect((await failure(gh.issue(-1))).message).toBe('an issue number must be a positive whole number, not -1');
    expect((await failure(gh.pullsForCommit('main'))).message).toBe('"main" is not a commit SHA');
    expect(served().requests).toEqual([]);
    expect(() => new GitHubClient('northwind/access', { token: `${TOKEN}\n` })).toThrow(new Error('the GitHub token is empty or contains white space or control characters'));
    expect(() => new GitHubClient('northwind/access', { apiUrl: 'ftp://example.com' })).toThrow(new Error('the GitHub API URL "ftp://example.com" is not http(s)'));
    expect(() => new GitHubClient('northwind/access', { apiUrl: 'api.github.com' })).toThrow(new Error('the GitHub API URL "api.github.com" is not a URL'));
    expect(() => new GitHubClient('northwind/access', { timeoutMs: 0 })).toThrow(new Error('the GitHub request timeout must be a positive number of milliseconds, not 0'));
    expect(() => new GitHubClient('northwind/access', { maxAttempts: 0 })).toThrow(new Error('the number of attempts at a rate-limited GitHub request must be a positive whole number, not 0'));
    expect(() => new GitHubClient('northwind/access', { maxWaitMs: -1 })).toThrow(new Error('the longest wait for GitHub rate limits must be a number of milliseconds, not -1'));
  });
});
