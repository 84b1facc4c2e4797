// A small read-only client for the GitHub REST API: the few endpoints the
// approvals check reads (a pull request, its reviews and commits, the issue
// it came from, a team's members, the pull requests of a commit). Responses
// are checked against JSON Schemas (responses.ts), so a change in GitHub's
// shapes is an error that names the field rather than an approval decided on
// undefined. A rate limit is waited out as GitHub's headers ask (rate-limit.ts),
// a few times and for at most maxWaitMs in all.
import { cmp } from '../diagnostics';
import { instantOf } from '../util/dates';
import { duration, rateLimitWait } from './rate-limit';
import {
  checked,
  ShapeError,
  type RawIssue,
  type RawIssueList,
  type RawPullCommits,
  type RawPullRequest,
  type RawReviews,
} from './responses';

export interface GitHubUser {
  readonly login: string;
  /** 'User', 'Bot' or 'Organization', as GitHub spells it. */
  readonly type: string;
}

export interface PullRequestInfo {
  readonly number: number;
  readonly user: GitHubUser;
  readonly headSha: string;
  readonly headRef: string;
  readonly baseRef: string;
  /** The description; GitHub sends null for an empty one, read here as ''. */
  readonly body: string;
  /** 'open' or 'closed' (a merged pull request is closed and merged). */
  readonly state: string;
  readonly merged: boolean;
  readonly mergedBy?: GitHubUser;
  readonly title: string;
  readonly htmlUrl: string;
}

export interface Review {
  readonly id: number;
  /** null when the reviewer's account was deleted. */
  readonly user: GitHubUser | null;
  /** A dismissed approval keeps its place in the list with the state DISMISSED. */
  readonly state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  /**
   * The commit the review was left on. GitHub sends null when that commit
   * was garbage-collected (a force push); that is read as '', which matches
   * no head, so such a review never counts as an approval of the head.
   */
  readonly commitId: string;
  /** Absent for a pending review, which has not been submitted. */
  readonly submittedAt?: string;
}

export interface PullCommit {
  readonly sha: string;
  /** The GitHub account of the commit's author; null when its email maps to none. */
  readonly author: GitHubUser | null;
  readonly committer: GitHubUser | null;
}

export interface IssueInfo {
  readonly number: number;
  readonly user: GitHubUser;
  readonly title: string;
  /** GitHub serves pull requests as issues too; they carry a pull_request key. */
  readonly isPullRequest: boolean;
}

/** An issue of a listing (issuesWithLabel): who opened it, when, and what it says. */
export interface ListedIssue {
  readonly number: number;
  /** null when the author's account was deleted. */
  readonly user: GitHubUser | null;
  readonly title: string;
  /** GitHub sends null for an empty body, read here as ''. */
  readonly body: string;
  /** ISO 8601, when GitHub created the issue (no one can change it). */
  readonly createdAt: string;
  readonly isPullRequest: boolean;
}

/** A request to GitHub that failed: refused, unreachable, too slow, or answered in a shape this client does not read. */
export class GitHubApiError extends Error {
  readonly status?: number;
  /** The request, relative to the API URL, with its query: /repos/o/r/pulls/7. */
  readonly path: string;

  constructor(path: string, reason: string, status?: number) {
    super(`GET ${path}: ${reason}`);
    this.name = 'GitHubApiError';
    this.path = path;
    if (status !== undefined) this.status = status;
  }
}

export interface GitHubClientOptions {
  readonly token?: string;
  /** Default https://api.github.com; for GitHub Enterprise Server, https://HOST/api/v3. */
  readonly apiUrl?: string;
  /** Default the global fetch. */
  readonly fetch?: typeof fetch;
  /** How long one request (one page) may take, default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Tries of one request that GitHub rate-limits, the first included; default 3. */
  readonly maxAttempts?: number;
  /** The most this client waits for rate limits, all requests together; default 15 minutes. */
  readonly maxWaitMs?: number;
  /** Waits out a rate limit; default a timer. Tests pass one that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The time now in epoch milliseconds, to read retry-after dates and reset times by; default Date.now. */
  readonly now?: () => number;
  /** Where each wait is told, one line without its newline; default stderr. */
  readonly log?: (line: string) => void;
}

const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_MAX_WAIT_MS = 15 * 60_000;
/** A cap on pages per listing: at 100 items a page, 10 000 items is far past any real pull request or team. */
const MAX_PAGES = 100;

/** An account or organization name: letters, digits and single inner hyphens, at most 39 characters. */
const OWNER = '[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}';
const REPO = new RegExp(`^(${OWNER})/([A-Za-z0-9._-]{1,100})$`);
/** A team as @org/slug. */
export const GITHUB_TEAM = new RegExp(`^@(${OWNER})/([A-Za-z0-9._-]{1,100})$`);
const SHA = /^[0-9a-fA-F]{7,64}$/;

/** A user as the client hands it on: the two fields it reads, not GitHub's dozens. */
function userOf(u: { readonly login: string; readonly type: string }): GitHubUser {
  return { login: u.login, type: u.type };
}

function toPullRequest(o: RawPullRequest): PullRequestInfo {
  const pr: PullRequestInfo = {
    number: o.number,
    user: userOf(o.user),
    headSha: o.head.sha,
    headRef: o.head.ref,
    baseRef: o.base.ref,
    body: o.body ?? '',
    state: o.state,
    merged: o.merged,
    title: o.title,
    htmlUrl: o.html_url,
  };
  return o.merged_by === null || o.merged_by === undefined ? pr : { ...pr, mergedBy: userOf(o.merged_by) };
}

function toReview(o: RawReviews[number]): Review {
  const review: Review = { id: o.id, user: o.user === null ? null : userOf(o.user), state: o.state, commitId: o.commit_id ?? '' };
  return typeof o.submitted_at === 'string' ? { ...review, submittedAt: o.submitted_at } : review;
}

function toPullCommit(o: RawPullCommits[number]): PullCommit {
  return { sha: o.sha, author: o.author === null ? null : userOf(o.author), committer: o.committer === null ? null : userOf(o.committer) };
}

function toIssue(o: RawIssue): IssueInfo {
  return { number: o.number, user: userOf(o.user), title: o.title, isPullRequest: o.pull_request !== undefined && o.pull_request !== null };
}

function toListedIssue(o: RawIssueList[number]): ListedIssue {
  return {
    number: o.number,
    user: o.user === null ? null : userOf(o.user),
    title: o.title,
    body: typeof o.body === 'string' ? o.body : '',
    createdAt: o.created_at,
    isPullRequest: o.pull_request !== undefined && o.pull_request !== null,
  };
}

/** The target of the rel="next" link of a Link header, if any. */
function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const m of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(m[2]);
    if (rel && rel[1].trim().split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/** One line: GitHub's messages may hold newlines, and an error here is one line of output. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** GitHub's message in an error body, on one line; undefined when the body is not JSON with a message (a proxy's page). */
function githubMessage(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? oneLine(message) : undefined;
  } catch {
    return undefined;
  }
}

function positive(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${what} must be a positive whole number, not ${String(n)}`);
  return n;
}

export class GitHubClient {
  private readonly owner: string;
  private readonly name: string;
  private readonly token?: string;
  /** The API's origin and the path under it (''; '/api/v3' on GitHub Enterprise Server). */
  private readonly origin: string;
  private readonly prefix: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  /** How long this client has waited for rate limits so far. */
  private waitedMs = 0;

  constructor(repo: string, options: GitHubClientOptions) {
    const m = REPO.exec(repo);
    if (!m || m[2] === '.' || m[2] === '..') throw new Error(`"${repo}" is not a GitHub repository: expected owner/name, such as northwind/access`);
    this.owner = m[1];
    this.name = m[2];
    if (options.token !== undefined) {
      // fetch rejects such a header with its value in the message: refuse it here, without the value.
      if (options.token === '' || /[\s\x00-\x1f\x7f]/.test(options.token)) throw new Error('the GitHub token is empty or contains white space or control ' +
          'characters');
      this.token = options.token;
    }
    const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    let base: URL;
    try {
      base = new URL(apiUrl);
    } catch {
      throw new Error(`the GitHub API URL "${apiUrl}" is not a URL`);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`the GitHub API URL "${apiUrl}" is not http(s)`);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    // Called through a closure so that fetch always runs with its own this.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) throw new Error(`the GitHub request timeout must be a positive number of milliseconds, ` +
        `not ${String(options.timeoutMs)}`);
    this.maxAttempts = positive(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'the number of attempts at a rate-limited GitHub request');
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (!Number.isFinite(this.maxWaitMs) || this.maxWaitMs < 0) throw new Error(`the longest wait for GitHub rate limits must be a number of milliseconds, ` +
        `not ${String(options.maxWaitMs)}`);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => void process.stderr.write(`${line}\n`));
  }

  async pullRequest(n: number): Promise<PullRequestInfo> {
    const { body } = await this.request(
      this.url(`${this.repoPath()}/pulls/${positive(n, 'a pull request number')}`),
      (v) => toPullRequest(checked('pullRequest', v)),
    );
    return body;
  }

  /** Every review, in GitHub's order, which is the order they were submitted in. */
  async reviews(n: number): Promise<Review[]> {
    return this.listAll(`${this.repoPath()}/pulls/${positive(n, 'a pull request number')}/reviews`, (v, offset) => checked('reviews', v, offset).map(toReview));
  }

  /** Every commit of the pull request, oldest first. GitHub lists at most 250. */
  async pullCommits(n: number): Promise<PullCommit[]> {
    return this.listAll(
      `${this.repoPath()}/pulls/${positive(n, 'a pull request number')}/commits`,
      (v, offset) => checked('pullCommits', v, offset).map(toPullCommit),
    );
  }

  async issue(n: number): Promise<IssueInfo> {
    const { body } = await this.request(this.url(`${this.repoPath()}/issues/${positive(n, 'an issue number')}`), (v) => toIssue(checked('issue', v)));
    return body;
  }

  /** The logins of a team's members, sorted; members of its child teams count, as GitHub lists them. */
  async teamMembers(team: string): Promise<string[]> {
    const m = GITHUB_TEAM.exec(team);
    if (!m) throw new Error(`"${team}" is not a GitHub team: expected @org/team-slug, such as @northwind/security`);
    const path = `/orgs/${encodeURIComponent(m[1])}/teams/${encodeURIComponent(m[2])}/members`;
    const members = await this.listAll(path, (v, offset) => checked('teamMembers', v, offset).map((u) => u.login), (status) =>
      status === 404 ? `team ${team} does not exist or the token cannot read it (the token needs the organization permission "Members: read")` : undefined);
    return members.sort(cmp);
  }

  /** The numbers of the pull requests that contain a commit (for a merged commit, the pull request that merged it). */
  async pullsForCommit(sha: string): Promise<number[]> {
    if (!SHA.test(sha)) throw new Error(`"${sha}" is not a commit SHA`);
    return this.listAll(`${this.repoPath()}/commits/${sha}/pulls`, (v, offset) => checked('commitPulls', v, offset).map((p) => p.number));
  }

  /** Every issue with `label`, open and closed (pull requests included: isPullRequest tells them apart). */
  async issuesWithLabel(label: string): Promise<ListedIssue[]> {
    return this.listAll(
      `${this.repoPath()}/issues`,
      (v, offset) => checked('issueList', v, offset).map(toListedIssue),
      undefined,
      `&state=all&labels=${encodeURIComponent(label)}`,
    );
  }

  private repoPath(): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.name)}`;
  }

  private url(path: string, query = ''): URL {
    return new URL(`${this.origin}${this.prefix}${path}${query}`);
  }

  /** A URL as it shows in messages: its path below the API URL, with the query. */
  private display(url: URL): string {
    const below = url.origin === this.origin && url.pathname.startsWith(`${this.prefix}/`);
    return `${below ? url.pathname.slice(this.prefix.length) : url.pathname}${url.search}`;
  }

  /** Every page of a listing: per_page=100, then each rel="next" link, on the API's origin only. */
  private async listAll<T>(
    path: string,
    read: (page: unknown, offset: number) => T[],
    explain?: (status: number) => string | undefined,
    query = '',
  ): Promise<T[]> {
    const out: T[] = [];
    let url = this.url(path, `?per_page=100${query}`);
    for (let page = 1; ; page++) {
      const offset = out.length;
      const { body, link } = await this.request(url, (v) => read(v, offset), explain);
      out.push(...body);
      const next = nextLink(link);
      if (next === undefined) return out;
      const here = this.display(url);
      let target: URL;
      try {
        target = new URL(next, url);
      } catch {
        throw this.error(here, 'unexpected response: the next-page link is not a URL');
      }
      // The token goes with every request: it must not go to a host the caller did not name.
      if (target.origin !== this.origin) {
        throw this.error(here, `refusing to follow a next-page link to ${target.origin}, which is not the API's origin ${this.origin}`);
      }
      if (page >= MAX_PAGES) throw this.error(here, `stopped after ${MAX_PAGES} pages: the listing does not end`);
      url = target;
    }
  }

  /**
   * One GET: the body read by `read`, and the Link header. A rate limit is
   * waited out and the GET sent again, up to maxAttempts tries and maxWaitMs
   * of waiting in all. Every failure is a GitHubApiError without the token.
   */
  private async request<T>(url: URL, read: (body: unknown) => T, explain?: (status: number) => string | undefined): Promise<{ body: T; link: string | null }> {
    const path = this.display(url);
    for (let attempt = 1; ; attempt++) {
      const { res, text } = await this.send(url, path);
      if (res.ok) return { body: this.parse(path, res, text, read), link: res.headers.get('link') };
      const message = githubMessage(text);
      const reason = explain?.(res.status) ?? (message || oneLine(res.statusText) || 'no message');
      const now = this.now();
      const limit = rateLimitWait(res.status, res.headers, message, now, attempt);
      if (limit === undefined) throw this.error(path, `${res.status} ${reason}`, res.status);
      const until = `${limit.estimated ? 'about ' : ''}${instantOf(new Date(now + limit.waitMs))}`;
      if (attempt >= this.maxAttempts) {
        throw this.error(path, `${res.status} rate limited until ${until}, still after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${reason}`, res.status);
      }
      if (this.waitedMs + limit.waitMs > this.maxWaitMs) {
        throw this.error(
          path,
          `${res.status} rate limited until ${until}, ${duration(limit.waitMs)} from now, longer than accessctl waits (${duration(this.maxWaitMs)} in ` +
              `all): ${reason}`,
          res.status,
        );
      }
      this.log(this.redact(`accessctl: GitHub ${limit.limit} on GET ${path}: waiting ${duration(limit.waitMs)} ${limit.why}, then trying again (attempt ` +
          `${attempt + 1} of ${this.maxAttempts})`));
      this.waitedMs += limit.waitMs;
      await this.sleep(limit.waitMs);
    }
  }

  /** One try of a GET, its body read in full. */
  private async send(url: URL, path: string): Promise<{ res: Response; text: string }> {
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'accessctl',
    };
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      // The timer runs until the body is read: a server may send headers and then stall.
      // A redirect (a renamed repository) is followed; fetch drops Authorization when it leads to another origin.
      const res = await this.fetchImpl(url, { headers, signal: controller.signal, redirect: 'follow' });
      return { res, text: await res.text() };
    } catch (e) {
      if (controller.signal.aborted) throw this.error(path, `no response within ${this.timeoutMs} ms`);
      throw this.error(path, `network error: ${describe(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A successful response's body, as JSON read by `read`. */
  private parse<T>(path: string, res: Response, text: string, read: (body: unknown) => T): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.error(path, 'unexpected response: the body is not JSON', res.status);
    }
    try {
      return read(json);
    } catch (e) {
      if (e instanceof ShapeError) throw this.error(path, `unexpected response: ${e.message}`, res.status);
      throw e;
    }
  }

  /** Every error goes out through here, so none carries the token, whatever GitHub or the network said. */
  private error(path: string, reason: string, status?: number): GitHubApiError {
    return new GitHubApiError(path, this.redact(reason), status);
  }

  private redact(text: string): string {
    return this.token === undefined ? text : text.split(this.token).join('***');
  }
}

/** A network error in a few words: fetch's own message ("fetch failed") says little, its cause says why. */
function describe(e: unknown): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (as under jest).
  const message = (x: unknown): string | undefined =>
    typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string' ? (x as { message: string }).message : undefined;
  const cause = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined;
  const why = message(cause);
  if (why !== undefined) {
    const code = (cause as { code?: unknown }).code;
    return oneLine(typeof code === 'string' && !why.includes(code) ? `${code} ${why}` : why);
  }
  return oneLine(message(e) ?? String(e));
}
