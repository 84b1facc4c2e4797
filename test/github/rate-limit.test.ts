// GitHubClient's rate-limit waits and response checks, against a scripted
// fetch (a response per request, in order) and a fake clock: no test really waits.
import { GitHubApiError, GitHubClient, type GitHubClientOptions, type PullRequestInfo } from '../../src/github/api';
import { fakeTime, type FakeTime } from '../support/github-replay';

const REPO = '/repos/northwind/access';
const API = 'https://api.github.com';
/** The fake clock's start: 2026-01-05T10:00:00Z. */
const T0 = Date.parse('2026-01-05T10:00:00Z');
const HEAD = '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e';

interface Scripted {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const PULL = {
  number: 7,
  user: { login: 'ekowalski', id: 70418863, type: 'User' },
  head: { sha: HEAD, ref: 'ekowalski/payments-admins' },
  base: { ref: 'main' },
  body: null,
  state: 'open',
  merged: false,
  merged_by: null,
  title: 'Add ekowalski to aws-payments-admins',
  html_url: 'https://github.com/northwind/access/pull/7',
};

const PULL_READ: PullRequestInfo = {
  number: 7,
  user: { login: 'ekowalski', type: 'User' },
  headSha: HEAD,
  headRef: 'ekowalski/payments-admins',
  baseRef: 'main',
  body: '',
  state: 'open',
  merged: false,
  title: 'Add ekowalski to aws-payments-admins',
  htmlUrl: 'https://github.com/northwind/access/pull/7',
};

const OK: Scripted = { status: 200, body: PULL };
const PRIMARY_MESSAGE = 'API rate limit exceeded for user ID 70418863.';
const SECONDARY_MESSAGE = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

/** A primary limit spent, resetting `inSeconds` after T0. */
function primary(inSeconds: number): Scripted {
  return {
    status: 403,
    headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(T0 / 1000 + inSeconds), 'x-ratelimit-resource': 'core' },
    body: { message: PRIMARY_MESSAGE },
  };
}

function retryAfter(value: string): Scripted {
  return { status: 429, headers: { 'retry-after': value, 'x-ratelimit-remaining': '4990', 'x-ratelimit-resource': 'core' }, body: { message: SECONDARY_MESSAGE } };
}

let time: FakeTime;
let requested: string[];

beforeEach(() => {
  time = fakeTime(T0);
  requested = [];
});

/** A client whose fetch answers with `script` in order, the last answer repeating. */
function client(script: readonly Scripted[], options: Partial<GitHubClientOptions> = {}): GitHubClient {
  const scripted: typeof fetch = async (input) => {
    const url = new URL(String(input));
    requested.push(`${url.pathname}${url.search}`);
    const r = script[Math.min(requested.length, script.length) - 1];
    return new Response(JSON.stringify(r.body ?? {}), { status: r.status, headers: { 'content-type': 'application/json; charset=utf-8', ...r.headers } });
  };
  return new GitHubClient('northwind/access', { token: 'ghp_rateLimitTest', fetch: scripted, ...time.options, ...options });
}

async function apiFailure(call: Promise<unknown>): Promise<{ message: string; status?: number }> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GitHubApiError);
  const e = error as GitHubApiError;
  return { message: e.message, status: e.status };
}

describe('GitHubClient: rate limits', () => {
  it('waits the seconds retry-after asks, then reads the retried response', async () => {
    const gh = client([retryAfter('7'), OK]);
    expect(await gh.pullRequest(7)).toStrictEqual(PULL_READ);
    expect(time.slept).toEqual([7000]);
    expect(requested).toEqual([`${REPO}/pulls/7`, `${REPO}/pulls/7`]);
    expect(time.logged).toEqual([`accessctl: GitHub secondary rate limit on GET ${REPO}/pulls/7: waiting 7 s as retry-after asks, then trying again (attempt 2 of 3)`]);
  });

  it('waits until a retry-after given as an HTTP date', async () => {
    const gh = client([retryAfter('Mon, 05 Jan 2026 10:00:30 GMT'), OK]);
    expect(await gh.pullRequest(7)).toStrictEqual(PULL_READ);
    expect(time.slept).toEqual([30_000]);
  });

  it('waits until x-ratelimit-reset when the primary limit is spent, then reads the retried response', async () => {
    const gh = client([primary(300), OK]);
    expect(await gh.pullRequest(7)).toStrictEqual(PULL_READ);
    expect(time.slept).toEqual([300_000]);
    expect(requested).toEqual([`${REPO}/pulls/7`, `${REPO}/pulls/7`]);
    expect(time.logged).toEqual([`accessctl: GitHub core rate limit on GET ${REPO}/pulls/7: waiting 5 min until x-ratelimit-reset, then trying again (attempt 2 of 3)`]);
  });

  it('fails at once, saying when the limit resets, when that is past the 15 minutes it waits', async () => {
    const gh = client([primary(961), OK]);
    expect(await apiFailure(gh.pullRequest(7))).toEqual({
      message: `GET ${REPO}/pulls/7: 403 rate limited until 2026-01-05T10:16:01Z, 16 min 1 s from now, longer than accessctl waits (15 min in all): ${PRIMARY_MESSAGE}`,
      status: 403,
    });
    expect(time.slept).toEqual([]);
    expect(time.logged).toEqual([]);
    expect(requested).toEqual([`${REPO}/pulls/7`]);
  });

  it('counts the 15 minutes over every wait of the client', async () => {
    const gh = client([retryAfter('600')]);
    expect(await apiFailure(gh.pullRequest(7))).toEqual({
      message: `GET ${REPO}/pulls/7: 429 rate limited until 2026-01-05T10:20:00Z, 10 min from now, longer than accessctl waits (15 min in all): ${SECONDARY_MESSAGE}`,
      status: 429,
    });
    expect(time.slept).toEqual([600_000]);
    expect(requested).toHaveLength(2);
  });

  it('backs off from one minute, doubling, on a secondary limit without headers, and gives up after 3 attempts', async () => {
    const gh = client([{ status: 403, body: { message: SECONDARY_MESSAGE } }]);
    expect(await apiFailure(gh.pullRequest(7))).toEqual({
      message: `GET ${REPO}/pulls/7: 403 rate limited until about 2026-01-05T10:07:00Z, still after 3 attempts: ${SECONDARY_MESSAGE}`,
      status: 403,
    });
    expect(time.slept).toEqual([60_000, 120_000]);
    expect(time.logged).toEqual([
      `accessctl: GitHub secondary rate limit on GET ${REPO}/pulls/7: waiting 60 s to back off, as GitHub named no time, then trying again (attempt 2 of 3)`,
      `accessctl: GitHub secondary rate limit on GET ${REPO}/pulls/7: waiting 2 min to back off, as GitHub named no time, then trying again (attempt 3 of 3)`,
    ]);
    expect(requested).toHaveLength(3);
  });

  it('does not retry a 403 that is not a rate limit', async () => {
    const gh = client([{ status: 403, body: { message: 'Resource not accessible by integration' } }, OK]);
    expect(await apiFailure(gh.pullRequest(7))).toEqual({ message: `GET ${REPO}/pulls/7: 403 Resource not accessible by integration`, status: 403 });
    expect(time.slept).toEqual([]);
    expect(requested).toHaveLength(1);
  });

  it('waits out a limit on a later page of a listing', async () => {
    const next = { link: `<${API}/repositories/1/pulls/7/commits?per_page=100&page=2>; rel="next"` };
    const commit = { sha: HEAD, author: null, committer: null };
    const gh = client([{ status: 200, headers: next, body: [commit] }, retryAfter('3'), { status: 200, body: [commit] }]);
    expect(await gh.pullCommits(7)).toHaveLength(2);
    expect(time.slept).toEqual([3000]);
    expect(requested).toEqual([`${REPO}/pulls/7/commits?per_page=100`, '/repositories/1/pulls/7/commits?per_page=100&page=2', '/repositories/1/pulls/7/commits?per_page=100&page=2']);
  });
});

describe('GitHubClient: responses of an unexpected shape', () => {
  const review = { id: 1, user: { login: 'anguyen', type: 'User' }, state: 'APPROVED', commit_id: HEAD, submitted_at: '2026-01-05T09:00:00Z' };
  const listed = { number: 50, user: null, title: 't', body: null, created_at: '2026-01-05T09:00:00Z' };

  it.each<[string, (gh: GitHubClient) => Promise<unknown>, unknown, string]>([
    ['a pull request without head.sha', (gh) => gh.pullRequest(7), { ...PULL, head: { ref: 'x' } }, `${REPO}/pulls/7: unexpected response: head.sha is not a string`],
    ['a merged_by without its type', (gh) => gh.pullRequest(7), { ...PULL, merged_by: { login: 'anguyen' } }, `${REPO}/pulls/7: unexpected response: merged_by.type is not a string`],
    ['a body that is a number', (gh) => gh.pullRequest(7), { ...PULL, body: 5 }, `${REPO}/pulls/7: unexpected response: body is neither a string nor null`],
    ['an issue that is a list', (gh) => gh.issue(7), [], `${REPO}/issues/7: unexpected response: the response is not an object`],
    ['a review whose user has a numeric login', (gh) => gh.reviews(7), [review, { ...review, user: { login: 5, type: 'User' } }], `${REPO}/pulls/7/reviews?per_page=100: unexpected response: [1].user.login is not a string`],
    ['a review state GitHub has no word for', (gh) => gh.reviews(7), [{ ...review, state: 'LGTM' }], `${REPO}/pulls/7/reviews?per_page=100: unexpected response: [0].state "LGTM" is not one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING`],
    ['a listing that is an object', (gh) => gh.pullCommits(7), { message: 'hi' }, `${REPO}/pulls/7/commits?per_page=100: unexpected response: the response is not an array`],
    ['a team member without a login', (gh) => gh.teamMembers('@northwind/security'), [{ type: 'User' }], '/orgs/northwind/teams/security/members?per_page=100: unexpected response: [0].login is not a string'],
    ['a pull request number that is a string', (gh) => gh.pullsForCommit(HEAD), [{ number: '43' }], `${REPO}/commits/${HEAD}/pulls?per_page=100: unexpected response: [0].number is not an integer`],
    ['an issue created at no time', (gh) => gh.issuesWithLabel('retrospective'), [{ ...listed, created_at: 'yesterday' }], `${REPO}/issues?per_page=100&state=all&labels=retrospective: unexpected response: [0].created_at is not a date-time`],
  ])('names the endpoint and the field of %s', async (_what, call, body, message) => {
    const gh = client([{ status: 200, body }]);
    expect(await apiFailure(call(gh))).toEqual({ message: `GET ${message}`, status: 200 });
  });

  it('counts items of earlier pages in the path of a bad item on a later page', async () => {
    const next = { link: `<${API}/repositories/1/pulls/7/reviews?per_page=100&page=2>; rel="next"` };
    const gh = client([{ status: 200, headers: next, body: [review, review] }, { status: 200, body: [{ ...review, commit_id: 7 }] }]);
    expect(await apiFailure(gh.reviews(7))).toEqual({
      message: 'GET /repositories/1/pulls/7/reviews?per_page=100&page=2: unexpected response: [2].commit_id is neither a string nor null',
      status: 200,
    });
  });
});
