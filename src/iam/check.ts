// An IAM identity-based policy checker: grammar (what IAM would reject or
// silently ignore), size, and risk (what a reviewer must look at twice).
// Written against IAM's documented policy grammar and run in the test suite
// over every AWS managed policy document, which must pass the grammar with
// zero errors.

import type { Severity } from '../diagnostics';

export type IamCode =
  | 'IAM001' | 'IAM002' | 'IAM003' | 'IAM004' | 'IAM005' | 'IAM006' | 'IAM007' | 'IAM008' | 'IAM009' | 'IAM010' | 'IAM011' | 'IAM012'
  | 'IAM020'
  | 'IAM030' | 'IAM031' | 'IAM032' | 'IAM033' | 'IAM034';

export interface IamFinding {
  readonly code: IamCode;
  readonly severity: Severity;
  readonly message: string;
  /** JSON pointer into the document, "" for the document itself. */
  readonly path: string;
}

/** Grammar codes: a policy with any of these is malformed. Size and risk codes are not grammar. */
export const GRAMMAR_CODES: ReadonlySet<IamCode> = new Set(
  ['IAM001', 'IAM002', 'IAM003', 'IAM004', 'IAM005', 'IAM006', 'IAM007', 'IAM008', 'IAM009', 'IAM010', 'IAM011', 'IAM012'],
);

/** IAM's limit for a role's inline policy, in characters excluding whitespace. */
export const INLINE_POLICY_LIMIT = 10_240;

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
const ACTION = /^[A-Za-z0-9-*?]+:[A-Za-z0-9*?]+$/;
const CONDITION_OPERATOR = new RegExp(
  '^(?:(?:ForAllValues|ForAnyValue):)?(?:' +
    [
      'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
    ].join('|') +
    ')(?:IfExists)?$|^Null$',
);
const CONDITION_KEY = /^[A-Za-z0-9-]+:[^\s]+$/;

export interface CheckOptions {
  /** Identity policies (permission sets, roles) may not name a Principal. Default true. */
  readonly identity?: boolean;
}

/** Every finding for one policy document (already parsed from JSON). */
export function checkPolicy(doc: unknown, options: CheckOptions = {}): IamFinding[] {
  const identity = options.identity ?? true;
  const out: IamFinding[] = [];
  const add = (code: IamCode, severity: Severity, path: string, message: string): void => {
    out.push({ code, severity, path, message });
  };
  if (!isObject(doc)) {
    add('IAM004', 'error', '', 'a policy document must be a JSON object');
    return out;
  }
  for (const k of Object.keys(doc)) {
    if (k !== 'Version' && k !== 'Statement' && k !== 'Id') add('IAM002', 'error', `/${k}`, `unknown key "${k}" in the policy document`);
  }
  if (doc.Version === undefined) add(
    'IAM003',
    'warning',
    '',
    'no Version: IAM reads the policy as 2008-10-17, where policy variables such as ${aws:username} are plain text',
  );
  else if (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)) add(
    'IAM003',
    'error',
    '/Version',
    `Version must be "2012-10-17" (or the legacy "2008-10-17"), not ${JSON.stringify(doc.Version)}`,
  );
  const statements = doc.Statement;
  if (statements === undefined) {
    add('IAM004', 'error', '', 'the policy has no Statement');
    return out;
  }
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) add('IAM004', 'error', '/Statement', 'Statement is an empty list');
  const sids = new Map<string, number>();
  list.forEach((s, i) => {
    const at = Array.isArray(statements) ? `/Statement/${i}` : '/Statement';
    checkStatement(s, at, identity, add);
    if (isObject(s) && typeof s.Sid === 'string' && s.Sid !== '') {
      const first = sids.get(s.Sid);
      if (first !== undefined) add('IAM012', 'error', `${at}/Sid`, `Sid "${s.Sid}" is already used by statement ${first}`);
      else sids.set(s.Sid, i);
    }
  });

  const chars = JSON.stringify(doc).replace(/\s/g, '').length;
  if (chars > INLINE_POLICY_LIMIT) add(
    'IAM020',
    'warning',
    '',
    `the policy has ${chars} characters excluding whitespace: more than an inline policy may hold (${INLINE_POLICY_LIMIT})`,
  );
  return out;
}

type Add = (code: IamCode, severity: Severity, path: string, message: string) => void;

function checkStatement(s: unknown, at: string, identity: boolean, add: Add): void {
  if (!isObject(s)) {
    add('IAM004', 'error', at, 'a statement must be a JSON object');
    return;
  }
  for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) add('IAM002', 'error', `${at}/${k}`, `unknown key "${k}" in a statement`);
  if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) add(
    'IAM012',
    'error',
    `${at}/Sid`,
    'Sid may hold only letters and digits',
  );
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') add('IAM004', 'error', `${at}/Effect`, `Effect must be "Allow" or "Deny", not ${JSON.stringify(s.Effect)}`);
  if ((s.Principal !== undefined || s.NotPrincipal !== undefined) && identity) {
    add(
      'IAM007',
      'error',
      `${at}/${s.Principal !== undefined ? 'Principal' : 'NotPrincipal'}`,
      'an identity policy (a permission set) cannot name a Principal: it applies to whoever holds it',
    );
  }

  const action = pickOne(s, 'Action', 'NotAction', at, 'IAM005', add);
  if (action) {
    const values = strings(action.value, `${at}/${action.key}`, add, 'IAM008');
    values.forEach(({ value, path }) => {
      if (value !== '*' && !ACTION.test(value)) add(
        'IAM008',
        'error',
        path,
        `"${value}" is not an action: write service:Action, such as s3:GetObject or ec2:Describe*`,
      );
      else if (value !== '*' && /[*?]/.test(value.split(':')[0])) add(
        'IAM032',
        'warning',
        path,
        `"${value}" has a wildcard in the service prefix: it matches actions of every service whose name fits`,
      );
    });
    if (s.Effect === 'Allow' && action.key === 'NotAction') add(
      'IAM033',
      'warning',
      `${at}/NotAction`,
      'Allow with NotAction allows every action not listed, including those of services added later',
    );
  }
  const resource = pickOne(s, 'Resource', 'NotResource', at, 'IAM006', add);
  if (resource) {
    strings(resource.value, `${at}/${resource.key}`, add, 'IAM009').forEach(({ value, path }) => {
      if (value !== '*' && !(value.startsWith('arn:') && value.split(':').length >= 6)) {
        add('IAM009', 'error', path, `"${value}" is not a resource: write "*" or an ARN (arn:partition:service:region:account:resource)`);
      }
    });
    if (s.Effect === 'Allow' && resource.key === 'NotResource') add(
      'IAM034',
      'warning',
      `${at}/NotResource`,
      'Allow with NotResource allows the actions on every resource not listed',
    );
  }
  if (s.Condition !== undefined) checkCondition(s.Condition, `${at}/Condition`, add);

  if (s.Effect === 'Allow' && action?.key === 'Action' && resource?.key === 'Resource') {
    const actions = listOf(action.value);
    const resources = listOf(resource.value);
    if (isFullAdminStatement(s)) add('IAM030', 'warning', at, 'the statement allows every action on every resource without a condition (full administrator)');
    if ((actions.includes('iam:PassRole') || actions.includes('iam:*') || actions.some((a) => /^iam:Pass\*|^iam:\*/.test(a))) && resources.includes('*') && !actions.includes('*')) {
      add('IAM031', 'warning', `${at}/Resource`, 'iam:PassRole on "*" lets the holder hand any role to a service, and so gain that role\'s permissions');
    }
  }
}

function pickOne(s: Record<string, unknown>, a: string, b: string, at: string, code: IamCode, add: Add): { key: string; value: unknown } | undefined {
  const hasA = s[a] !== undefined;
  const hasB = s[b] !== undefined;
  if (hasA && hasB) {
    add(code, 'error', at, `a statement has either ${a} or ${b}, not both`);
    return undefined;
  }
  if (!hasA && !hasB) {
    add(code, 'error', at, `a statement needs ${a} (or ${b})`);
    return undefined;
  }
  return hasA ? { key: a, value: s[a] } : { key: b, value: s[b] };
}

function strings(v: unknown, path: string, add: Add, code: IamCode): Array<{ value: string; path: string }> {
  if (typeof v === 'string') return [{ value: v, path }];
  if (Array.isArray(v) && v.length > 0) {
    const out: Array<{ value: string; path: string }> = [];
    v.forEach((x, i) => {
      if (typeof x === 'string') out.push({ value: x, path: `${path}/${i}` });
      else add(code, 'error', `${path}/${i}`, `expected a string, found ${JSON.stringify(x)}`);
    });
    return out;
  }
  add(code, 'error', path, 'expected a string or a non-empty list of strings');
  return [];
}

function checkCondition(c: unknown, at: string, add: Add): void {
  if (!isObject(c)) {
    add('IAM010', 'error', at, 'Condition must be an object of operators');
    return;
  }
  for (const [op, block] of Object.entries(c)) {
    const path = `${at}/${op}`;
    if (!CONDITION_OPERATOR.test(op)) add('IAM010', 'error', path, `"${op}" is not a condition operator`);
    if (!isObject(block)) {
      add('IAM011', 'error', path, `the ${op} block must map condition keys to values`);
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      if (!CONDITION_KEY.test(key)) add('IAM011', 'error', `${path}/${key}`, `"${key}" is not a condition key: write prefix:name, such as aws:SourceIp`);
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.some((x) => !['string', 'number', 'boolean'].includes(typeof x))) {
        add('IAM011', 'error', `${path}/${key}`, 'a condition value must be a string, number or boolean, or a list of them');
      }
    }
  }
}

/** True when some statement allows every action on every resource without a condition. */
export function grantsFullAdmin(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list.some(isFullAdminStatement);
}

function isFullAdminStatement(s: unknown): boolean {
  return isObject(s) && s.Effect === 'Allow' && s.Condition === undefined && listOf(s.Action).includes('*') && listOf(s.Resource).includes('*');
}

function listOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
