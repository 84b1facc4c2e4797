// The shapes of the GitHub responses the client reads, as JSON Schemas: only
// the fields it reads (anything else GitHub sends is allowed), compiled by
// ajv once, on first use. A response that does not fit is a ShapeError that
// names the JSON path of the first bad field, such as head.sha or
// [3].user.login; the client adds the request in front.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FromSchema } from 'json-schema-to-ts';

/** A listing: an array of items of one shape. */
const listOf = <T>(items: T) => ({ type: 'array', items }) as const;

const user = {
  type: 'object',
  required: ['login', 'type'],
  properties: { login: { type: 'string' }, type: { type: 'string' } },
} as const;

/** A user, or null (a deleted account, or a commit email that maps to none). */
const nullableUser = { ...user, type: ['object', 'null'] } as const;

export const pullRequestSchema = {
  type: 'object',
  required: ['number', 'user', 'head', 'base', 'body', 'state', 'merged', 'title', 'html_url'],
  properties: {
    number: { type: 'integer' },
    user,
    head: { type: 'object', required: ['sha', 'ref'], properties: { sha: { type: 'string' }, ref: { type: 'string' } } },
    base: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
    body: { type: ['string', 'null'] },
    state: { type: 'string' },
    merged: { type: 'boolean' },
    merged_by: nullableUser,
    title: { type: 'string' },
    html_url: { type: 'string' },
  },
} as const;

export const REVIEW_STATES = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'] as const;

export const reviewsSchema = listOf({
  type: 'object',
  required: ['id', 'user', 'state', 'commit_id'],
  properties: {
    id: { type: 'integer' },
    user: nullableUser,
    state: { type: 'string', enum: REVIEW_STATES },
    commit_id: { type: ['string', 'null'] },
    submitted_at: { type: ['string', 'null'] },
  },
} as const);

export const pullCommitsSchema = listOf({
  type: 'object',
  required: ['sha', 'author', 'committer'],
  properties: { sha: { type: 'string' }, author: nullableUser, committer: nullableUser },
} as const);

export const issueSchema = {
  type: 'object',
  required: ['number', 'user', 'title'],
  properties: { number: { type: 'integer' }, user, title: { type: 'string' } },
} as const;

export const teamMembersSchema = listOf(user);

export const commitPullsSchema = listOf({ type: 'object', required: ['number'], properties: { number: { type: 'integer' } } } as const);

export const issueListSchema = listOf({
  type: 'object',
  required: ['number', 'user', 'title', 'created_at'],
  properties: {
    number: { type: 'integer' },
    user: nullableUser,
    title: { type: 'string' },
    body: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const);

const SCHEMAS = {
  pullRequest: pullRequestSchema,
  reviews: reviewsSchema,
  pullCommits: pullCommitsSchema,
  issue: issueSchema,
  teamMembers: teamMembersSchema,
  commitPulls: commitPullsSchema,
  issueList: issueListSchema,
} as const;

export type ResponseKind = keyof typeof SCHEMAS;

export type RawPullRequest = FromSchema<typeof pullRequestSchema>;
export type RawReviews = FromSchema<typeof reviewsSchema>;
export type RawPullCommits = FromSchema<typeof pullCommitsSchema>;
export type RawIssue = FromSchema<typeof issueSchema>;
export type RawTeamMembers = FromSchema<typeof teamMembersSchema>;
export type RawCommitPulls = FromSchema<typeof commitPullsSchema>;
export type RawIssueList = FromSchema<typeof issueListSchema>;

/** What each response is (the types above, by kind). */
export interface RawOf {
  pullRequest: RawPullRequest;
  reviews: RawReviews;
  pullCommits: RawPullCommits;
  issue: RawIssue;
  teamMembers: RawTeamMembers;
  commitPulls: RawCommitPulls;
  issueList: RawIssueList;
}

/** A response that does not have the shape its schema describes; the client turns it into a GitHubApiError naming the request. */
export class ShapeError extends Error {}

let compiled: Map<ResponseKind, ValidateFunction> | undefined;

/** Every validator, compiled on first use and kept for the life of the process. */
function validators(): Map<ResponseKind, ValidateFunction> {
  if (compiled) return compiled;
  // allErrors off: the first bad field is the one message. verbose: errors carry the value (for enum).
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, verbose: true, $data: false });
  addFormats(ajv, ['date-time']);
  const out = new Map<ResponseKind, ValidateFunction>();
  for (const kind of Object.keys(SCHEMAS) as ResponseKind[]) out.set(kind, ajv.compile(SCHEMAS[kind]));
  compiled = out;
  return out;
}

/**
 * `body` as the response `kind`, or a ShapeError naming the first bad field.
 * `offset` is added to the index of a listing's item (a later page's first
 * item is not the listing's first).
 */
export function checked<K extends ResponseKind>(kind: K, body: unknown, offset = 0): RawOf[K] {
  const validate = validators().get(kind)!;
  if (validate(body)) return body as RawOf[K];
  const e = validate.errors?.[0];
  throw new ShapeError(e === undefined ? 'the response does not have the expected shape' : describeError(e, offset));
}

/** A JSON pointer's segments as a path: head.sha, [3].user.login; '' for the root. */
function jsonPath(segments: readonly string[], offset: number): string {
  let out = '';
  segments.forEach((s, i) => {
    if (/^[0-9]+$/.test(s)) out += `[${i === 0 ? Number(s) + offset : Number(s)}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  });
  return out;
}

const ARTICLE: Readonly<Record<string, string>> = { integer: 'an integer', object: 'an object', array: 'an array', null: 'null' };

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => ARTICLE[String(t)] ?? `a ${String(t)}`);
  return types.length === 1 ? `not ${types[0]}` : `neither ${types.slice(0, -1).join(', ')} nor ${types[types.length - 1]}`;
}

function describeError(e: ErrorObject, offset: number): string {
  const segments = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') {
    // A missing field reads as one of the wrong type, as a reader of it would find it.
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    const schema = (e.parentSchema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties?.[missing] ?? {};
    const field = jsonPath([...segments, missing], offset);
    return schema.type === undefined ? `${field} is missing` : `${field} is ${typeWords(schema.type)}`;
  }
  const field = jsonPath(segments, offset) || 'the response';
  switch (e.keyword) {
    case 'type':
      return `${field} is ${typeWords((e.params as { type: unknown }).type)}`;
    case 'enum':
      return `${field} ${JSON.stringify(e.data)} is not one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`;
    case 'format':
      return `${field} is not a ${String((e.params as { format: string }).format)}`;
    default:
      return `${field} ${e.message ?? 'is not valid'}`;
  }
}
