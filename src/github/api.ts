// A small read-only client for the GitHub REST API: the few endpoints the
// approvals check reads (a pull request, its reviews and commits, the issue
// it came from, a team's members, the pull requests of a commit). Responses
// are checked field by field, so a change in GitHub's shapes is an error that
// names the field rather than an approval decided on undefined.
import { cmp } from '../diagnostics';
import { instantOf } from '../util/dates';

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
}

const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
/** A cap on pages per listing: at 100 items a page, 10 000 items is far past any real pull request or team. */
const MAX_PAGES = 100;

/** An account or organization name: letters, digits and single inner hyphens, at most 39 characters. */
const OWNER = '[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}';
const REPO = new RegExp(`^(${OWNER})/([A-Za-z0-9._-]{1,100})$`);
/** A team as @org/slug. */
export const GITHUB_TEAM = new RegExp(`^@(${OWNER})/([A-Za-z0-9._-]{1,100})$`);
const SHA = /^[0-9a-fA-F]{7,64}$/;

const REVIEW_STATES: ReadonlySet<string> = new Set(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);

/** A failed check of a response's shape; request() turns it into a GitHubApiError naming the request. */
class ShapeError extends Error {}

type Json = Record<string, unknown>;

function object(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(`${where} is not an object`);
  return v as Json;
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ShapeError(`${where}${key} is not a string`);
  return v;
}

function int(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ShapeError(`${where}${key} is not an integer`);
  return v;
}

function user(v: unknown, where: string): GitHubUser {
  const o = object(v, where);
  return { login: str(o, 'login', `${where}.`), type: str(o, 'type', `${where}.`) };
}

function nullableUser(v: unknown, where: string): GitHubUser | null {
  return v === null ? null : user(v, where);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new ShapeError(`${where} is not an array`);
  return v;
}

function toPullRequest(v: unknown): PullRequestInfo {
  const o = object(v, 'the pull request');
  const head = object(o.head, 'head');
  const base = object(o.base, 'base');
  if (o.body !== null && typeof o.body !== 'string') throw new ShapeError('body is neither a string nor null');
  if (typeof o.merged !== 'boolean') throw new ShapeError('merged is not a boolean');
  const pr: PullRequestInfo = {
    number: int(o, 'number', ''),
    user: user(o.user, 'user'),
    headSha: str(head, 'sha', 'head.'),
    headRef: str(head, 'ref', 'head.'),
    baseRef: str(base, 'ref', 'base.'),
    body: o.body ?? '',
    state: str(o, 'state', ''),
    merged: o.merged,
    title: str(o, 'title', ''),
    htmlUrl: str(o, 'html_url', ''),
  };
  return o.merged_by === null || o.merged_by === undefined ? pr : { ...pr, mergedBy: user(o.merged_by, 'merged_by') };
}

function toReview(v: unknown, i: number): Review {
  const where = `review [${i}]`;
  const o = object(v, where);
  const state = str(o, 'state', `${where}.`);
  if (!REVIEW_STATES.has(state)) throw new ShapeError(`${where}.state "${state}" is not a review state`);
  if (o.commit_id !== null && typeof o.commit_id !== 'string') throw new ShapeError(`${where}.commit_id is neither a string nor null`);
  const review: Review = {
    id: int(o, 'id', `${where}.`),
    user: nullableUser(o.user, `${where}.user`),
    state: state as Review['state'],
    commitId: o.commit_id ?? '',
  };
  return o.submitted_at === null || o.submitted_at === undefined ? review : { ...review, submittedAt: str(o, 'submitted_at', `${where}.`) };
}

function toPullCommit(v: unknown, i: number): PullCommit {
  const where = `commit [${i}]`;
  const o = object(v, where);
  return { sha: str(o, 'sha', `${where}.`), author: nullableUser(o.author, `${where}.author`), committer: nullableUser(o.committer, `${where}.committer`) };
}

function toIssue(v: unknown): IssueInfo {
  const o = object(v, 'the issue');
  return {
    number: int(o, 'number', ''),
    user: user(o.user, 'user'),
    title: str(o, 'title', ''),
    isPullRequest: o.pull_request !== undefined && o.pull_request !== null,
  };
}

function toListedIssue(v: unknown, i: number): ListedIssue {
  const where = `issue [${i}]`;
  const o = object(v, where);
  if (o.body !== null && o.body !== undefined && typeof o.body !== 'string') throw new ShapeError(`${where}.body is neither a string nor null`);
  const createdAt = str(o, 'created_at', `${where}.`);
  if (Number.isNaN(Date.parse(createdAt))) throw new ShapeError(`${where}.created_at is not a time`);
  return {
    number: int(o, 'number', `${where}.`),
    user: nullableUser(o.user, `${where}.user`),
    title: str(o, 'title', `${where}.`),
    body: typeof o.body === 'string' ? o.body : '',
    createdAt,
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

  constructor(repo: string, options: GitHubClientOptions) {
    const m = REPO.exec(repo);
    if (!m || m[2] === '.' || m[2] === '..') throw new Error(`"${repo}" is not a GitHub repository: expected owner/name, such as northwind/access`);
    this.owner = m[1];
    this.name = m[2];
    if (options.token !== undefined) {
      // fetch rejects such a header with its value in the message: refuse it here, without the value.
      if (options.token === '' || /[\s\x00-\x1f\x7f]/.test(options.token)) throw new Error('the GitHub token is empty or contains white space or control characters');
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
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) throw new Error(`the GitHub request timeout must be a positive number of milliseconds, not ${String(options.timeoutMs)}`);
  }

  async pullRequest(n: number): Promise<PullRequestInfo> {
    const { body } = await this.request(this.url(`${this.repoPath()}/pulls/${positive(n, 'a pull request number')}`), toPullRequest);
    return body;
  }

  /** Every review, in GitHub's order, which is the order they were submitted in. */
  async reviews(n: number): Promise<Review[]> {
    return this.listAll(`${this.repoPath()}/pulls/${positive(n, 'a pull request number')}/reviews`, toReview);
  }

  /** Every commit of the pull request, oldest first. GitHub lists at most 250. */
  async pullCommits(n: number): Promise<PullCommit[]> {
    return this.listAll(`${this.repoPath()}/pulls/${positive(n, 'a pull request number')}/commits`, toPullCommit);
  }

  async issue(n: number): Promise<IssueInfo> {
    const { body } = await this.request(this.url(`${this.repoPath()}/issues/${positive(n, 'an issue number')}`), toIssue);
    return body;
  }

  /** The logins of a team's members, sorted; members of its child teams count, as GitHub lists them. */
  async teamMembers(team: string): Promise<string[]> {
    const m = GITHUB_TEAM.exec(team);
    if (!m) throw new Error(`"${team}" is not a GitHub team: expected @org/team-slug, such as @northwind/security`);
    const path = `/orgs/${encodeURIComponent(m[1])}/teams/${encodeURIComponent(m[2])}/members`;
    const members = await this.listAll(path, (v, i) => user(v, `member [${i}]`).login, (status) =>
      status === 404 ? `team ${team} does not exist or the token cannot read it (the token needs the organization permission "Members: read")` : undefined);
    return members.sort(cmp);
  }

  /** The numbers of the pull requests that contain a commit (for a merged commit, the pull request that merged it). */
  async pullsForCommit(sha: string): Promise<number[]> {
    if (!SHA.test(sha)) throw new Error(`"${sha}" is not a commit SHA`);
    return this.listAll(`${this.repoPath()}/commits/${sha}/pulls`, (v, i) => int(object(v, `pull request [${i}]`), 'number', `pull request [${i}].`));
  }

  /** Every issue with `label`, open and closed (pull requests included: isPullRequest tells them apart). */
  async issuesWithLabel(label: string): Promise<ListedIssue[]> {
    return this.listAll(`${this.repoPath()}/issues`, toListedIssue, undefined, `&state=all&labels=${encodeURIComponent(label)}`);
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
  private async listAll<T>(path: string, item: (v: unknown, i: number) => T, explain?: (status: number) => string | undefined, query = ''): Promise<T[]> {
    const out: T[] = [];
    let url = this.url(path, `?per_page=100${query}`);
    for (let page = 1; ; page++) {
      const offset = out.length;
      const { body, link } = await this.request(url, (v) => list(v, 'the response').map((x, i) => item(x, offset + i)), explain);
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

  /** One GET: the body read by `read`, and the Link header. Every failure is a GitHubApiError without the token. */
  private async request<T>(url: URL, read: (body: unknown) => T, explain?: (status: number) => string | undefined): Promise<{ body: T; link: string | null }> {
    const path = this.display(url);
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'accessctl',
    };
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    let text: string;
    try {
      // The timer runs until the body is read: a server may send headers and then stall.
      // A redirect (a renamed repository) is followed; fetch drops Authorization when it leads to another origin.
      res = await this.fetchImpl(url, { headers, signal: controller.signal, redirect: 'follow' });
      text = await res.text();
    } catch (e) {
      if (controller.signal.aborted) throw this.error(path, `no response within ${this.timeoutMs} ms`);
      throw this.error(path, `network error: ${describe(e)}`);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) throw this.error(path, `${res.status} ${this.refusal(res, text, explain)}`, res.status);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.error(path, 'unexpected response: the body is not JSON', res.status);
    }
    try {
      return { body: read(json), link: res.headers.get('link') };
    } catch (e) {
      if (e instanceof ShapeError) throw this.error(path, `unexpected response: ${e.message}`, res.status);
      throw e;
    }
  }

  /** Why GitHub refused: the caller's reading of the status, or GitHub's message, and when a rate limit lifts. */
  private refusal(res: Response, text: string, explain?: (status: number) => string | undefined): string {
    let message: string | undefined;
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === 'object' && body !== null && typeof (body as Json).message === 'string') message = oneLine((body as Json).message as string);
    } catch {
      // Not JSON (a proxy's page): the status text stands instead.
    }
    const reason = explain?.(res.status) ?? (message || oneLine(res.statusText) || 'no message');
    if (res.status !== 403 && res.status !== 429) return reason;
    // A secondary limit sends retry-after (seconds, or an HTTP date); the primary one a reset time in epoch seconds.
    const retryAfter = res.headers.get('retry-after')?.trim();
    if (retryAfter !== undefined && retryAfter !== '') {
      const when = /^[0-9]+$/.test(retryAfter) ? `${Number(retryAfter)} s` : Number.isNaN(Date.parse(retryAfter)) ? undefined : instantOf(new Date(Date.parse(retryAfter)));
      if (when !== undefined) return `rate limited, retry after ${when}: ${reason}`;
    }
    if (res.headers.get('x-ratelimit-remaining')?.trim() === '0') {
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      return `rate limited${Number.isSafeInteger(reset) && reset > 0 ? `, resets at ${instantOf(new Date(reset * 1000))}` : ''}: ${reason}`;
    }
    return reason;
  }

  /** Every error goes out through here, so none carries the token, whatever GitHub or the network said. */
  private error(path: string, reason: string, status?: number): GitHubApiError {
    const redacted = this.token === undefined ? reason : reason.split(this.token).join('***');
    return new GitHubApiError(path, redacted, status);
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
