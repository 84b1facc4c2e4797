// Counting the AWS API calls the engine makes, from moto's request recording.
//
// moto in server mode records every request it answers when started with
// MOTO_ENABLE_RECORDING (moto/moto_api/_internal/recorder: one JSON line per
// request with its headers, method, URL and body, appended to
// MOTO_RECORDER_FILEPATH); Moto.start({ record: true }) in engine/harness.ts
// turns it on. This file turns those lines into calls per operation: the
// JSON 1.1 APIs (sso-admin, identitystore, organizations) name the operation
// in the X-Amz-Target header, the query APIs (iam, sts) in the Action
// parameter of the form body (or the URL). The service is the signing name
// of the Authorization header's credential scope (sso-admin signs as "sso").
//
// Each recorded request is one call the real API would count against its
// quota, retries included.

/**
 * IAM Identity Center's API throttle: "IAM Identity Center APIs have a
 * collective throttle maximum of 20 transactions per second (TPS)", shared by
 * the organization's instance (AWS IAM Identity Center User Guide, Quotas,
 * Throttle limits: https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html;
 * the account access API has the same 20 TPS:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/aam-quotas.html). The bench
 * divides every counted AWS call by it: the least time the org's quota needs
 * for them, before any retry.
 */
export const IDENTITY_CENTER_TPS = 20;

/** One line of moto's recording. */
export interface RecordedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly method: string;
  readonly url: string;
  readonly body?: string | null;
  readonly body_encoded?: boolean;
}

export interface ApiCallCount {
  readonly total: number;
  /** "service:Operation" -> calls, e.g. "sso:ListAccountAssignments". */
  readonly byOperation: Readonly<Record<string, number>>;
  /** Lines of the recording that were not a JSON request (a torn last line while moto still writes). */
  readonly unparsed: number;
}

const TARGET_SERVICE: Readonly<Record<string, string>> = {
  SWBExternalService: 'sso',
  AWSIdentityStore: 'identitystore',
  AWSOrganizationsV20161128: 'organizations',
};

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** The signing name of a SigV4 Authorization header: Credential=KEY/DATE/REGION/SERVICE/aws4_request. */
function signingService(headers: Readonly<Record<string, string>>): string | undefined {
  return /Credential=[^/,\s]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(header(headers, 'authorization') ?? '')?.[1];
}

function bodyText(r: RecordedRequest): string {
  if (!r.body) return '';
  return r.body_encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body;
}

/** "service:Operation" of one recorded request; "service:METHOD /path" when it names no operation. */
export function operationOf(r: RecordedRequest): string {
  const target = header(r.headers, 'x-amz-target');
  if (target) {
    const dot = target.lastIndexOf('.');
    const prefix = dot >= 0 ? target.slice(0, dot) : '';
    const service = signingService(r.headers) ?? TARGET_SERVICE[prefix] ?? (prefix || 'unknown');
    return `${service}:${dot >= 0 ? target.slice(dot + 1) : target}`;
  }
  const service = signingService(r.headers) ?? 'unknown';
  const query = r.url.includes('?') ? r.url.slice(r.url.indexOf('?') + 1) : '';
  const contentType = header(r.headers, 'content-type') ?? '';
  const form = contentType.includes('x-www-form-urlencoded') ? bodyText(r) : '';
  for (const params of [form, query]) {
    const action = new URLSearchParams(params).get('Action');
    if (action) return `${service}:${action}`;
  }
  let pathname = r.url;
  try {
    pathname = new URL(r.url, 'http://emulator').pathname;
  } catch {
    // not a URL: keep it as recorded
  }
  return `${service}:${r.method} ${pathname}`;
}

/** Counts the requests of a recording (moto's JSON lines). */
export function countRecording(text: string): ApiCallCount {
  const byOperation: Record<string, number> = {};
  let total = 0;
  let unparsed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: RecordedRequest;
    try {
      r = JSON.parse(line) as RecordedRequest;
    } catch {
      unparsed++;
      continue;
    }
    if (typeof r !== 'object' || r === null || typeof r.headers !== 'object' || typeof r.url !== 'string') {
      unparsed++;
      continue;
    }
    const op = operationOf(r);
    byOperation[op] = (byOperation[op] ?? 0) + 1;
    total++;
  }
  return { total, byOperation: sortedCounts(byOperation), unparsed };
}

/** Counts, most calls first (then by name). */
export function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
}

/** The least seconds the org's Identity Center quota needs for `calls`. */
export function quotaSeconds(calls: number, tps = IDENTITY_CENTER_TPS): number {
  return calls / tps;
}

/** The n operations with the most calls, as "Op 1,000". */
export function topOperations(c: ApiCallCount, n = 6): Array<[string, number]> {
  return Object.entries(sortedCounts(c.byOperation)).slice(0, n);
}
