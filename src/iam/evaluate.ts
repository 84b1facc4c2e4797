// Who can perform an IAM action where (issue 27), the evaluator core: does a
// permission set's policies allow one action on one resource? Written from the
// identity-policy evaluation logic AWS documents: an explicit Deny in any
// policy wins; the identity policies (AWS managed, inline, customer managed)
// are a union of Allows; a permissions boundary intersects them (the action
// must be allowed by both). Statement matching follows the policy grammar:
// Action/NotAction and Resource/NotResource, `*` and `?` wildcards, actions
// case-insensitive, resources case-sensitive. Conditions and policy variables
// are not evaluated (there is no request context): a statement that has them
// is reported as applying only under them.
//
// Pure apart from reading the shipped managed policy documents (lazily, via
// src/aws/managed-policy-documents.ts, or from `options.documents`). Each
// document's statements are compiled to matchers once and cached.

import { managedPolicyDocument } from '../aws/managed-policy-documents';

export type DecisionKind = 'allowed' | 'conditional' | 'denied' | 'not-allowed' | 'unknown';

/** Where a statement is: the policy (e.g. "AdministratorAccess", "inline", "boundary:PowerUserAccess"), its index, its Sid if any. */
export interface StatementRef {
  readonly policy: string;
  readonly statement: number;
  readonly sid?: string;
}

export interface Decision {
  readonly decision: DecisionKind;
  /** The statement that decided it: the Deny, the Allow, or the conditional Deny that made an allowed action conditional. */
  readonly by?: StatementRef;
  /** For `conditional`: the condition keys and policy variables it depends on, sorted. */
  readonly conditions?: readonly string[];
  /** Conditional Allows (for `conditional` from Allows) or conditional Denies that apply. */
  readonly conditionalStatements?: readonly StatementRef[];
  /** Customer managed policies whose documents are not known: for `unknown`, the ones it depends on; otherwise ones that could still add a Deny. */
  readonly unknownPolicies?: readonly string[];
  /** One sentence saying why. */
  readonly reason: string;
}

export interface CustomerManagedRef {
  readonly name: string;
  readonly path?: string;
}

export interface PermissionSetPolicies {
  /** AWS managed policies by name, path/name or ARN. */
  readonly managed?: readonly string[];
  /** The inline policy document, as written. */
  readonly inline?: unknown;
  /** The permissions boundary: an AWS managed policy (name or ARN) or a customer managed policy reference. */
  readonly boundary?: { readonly managed: string } | { readonly customerManaged: CustomerManagedRef };
  /** Customer managed policy references: their documents are not known. */
  readonly customerManaged?: readonly CustomerManagedRef[];
}

export interface EvaluationRequest {
  /** service:Name, e.g. s3:GetObject. */
  readonly action: string;
  /** A resource ARN; "*" (the default) means every resource: only statements whose Resource matches the string "*" apply. */
  readonly resource?: string;
}

export interface EvaluationOptions {
  /** Looks up an AWS managed policy document by name/ARN (default: the shipped documents). */
  readonly documents?: (ref: string) => unknown;
}

// ---------------------------------------------------------------------------
// Compiling statements

interface Matcher {
  /** Literal patterns (lower-cased for actions). */
  readonly exact: ReadonlySet<string>;
  /** The wildcard patterns as one regular expression, or undefined. */
  readonly wild?: RegExp;
  /** Resource patterns with policy variables (variables as `*`), and the variables named. */
  readonly variable?: RegExp;
  readonly variables?: readonly string[];
  readonly any: boolean;
}

interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly deny: boolean;
  readonly action?: Matcher;
  readonly notAction?: Matcher;
  readonly resource?: Matcher;
  readonly notResource?: Matcher;
  readonly conditionKeys: readonly string[];
}

const VARIABLE = /\$\{([^}]*)\}/g;

function escape(s: string): string {
  return s.replace(/[.+^$(){}|[\]\\/]/g, '\\$&');
}

/** A wildcard pattern as regular expression source: `*` any run, `?` one character. */
function globSource(p: string): string {
  return p.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join('');
}

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function compileActions(patterns: readonly string[]): Matcher {
  const exact = new Set<string>();
  const wild: string[] = [];
  let any = false;
  for (const p of patterns) {
    if (p === '*') any = true;
    else if (/[*?]/.test(p)) wild.push(globSource(p));
    else exact.add(p.toLowerCase());
  }
  return { exact, any, ...(wild.length > 0 ? { wild: new RegExp(`^(?:${wild.join('|')})$`, 'is') } : {}) };
}

function compileResources(patterns: readonly string[]): Matcher {
  const exact = new Set<string>();
  const wild: string[] = [];
  const variable: string[] = [];
  const variables = new Set<string>();
  let any = false;
  for (const raw of patterns) {
    // ${*}, ${?} and ${$} are the escapes for a literal *, ? and $.
    const hasVariable = [...raw.matchAll(VARIABLE)].some((m) => !['*', '?', '$'].includes(m[1]));
    if (hasVariable) {
      for (const m of raw.matchAll(VARIABLE)) if (!['*', '?', '$'].includes(m[1])) variables.add(m[1]);
      variable.push(
        raw.split(VARIABLE).map((part, i) => (i % 2 === 1 ? (['*', '?', '$'].includes(part) ? escape(part) : '.*') : globSource(part))).join(''),
      );
    } else if (raw === '*') any = true;
    else if (/[*?]/.test(raw.replace(VARIABLE, ''))) {
      wild.push(raw.split(VARIABLE).map((part, i) => (i % 2 === 1 ? escape(part) : globSource(part))).join(''));
    } else exact.add(raw.replace(/\$\{([*?$])\}/g, '$1'));
  }
  return {
    exact,
    any,
    ...(wild.length > 0 ? { wild: new RegExp(`^(?:${wild.join('|')})$`, 's') } : {}),
    ...(variable.length > 0 ? { variable: new RegExp(`^(?:${variable.join('|')})$`, 's'), variables: [...variables].sort() } : {}),
  };
}

function conditionKeys(condition: unknown): string[] {
  if (condition === null || typeof condition !== 'object') return [];
  const keys = new Set<string>();
  for (const block of Object.values(condition as Record<string, unknown>)) {
    if (block !== null && typeof block === 'object') for (const k of Object.keys(block as object)) keys.add(k);
  }
  return [...keys].sort();
}

function compileDocument(doc: unknown): readonly CompiledStatement[] {
  let raw: unknown = doc;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) raw = (raw as { Statement?: unknown }).Statement;
  const statements = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]) as Record<string, unknown>[];
  return statements.map((s, index) => {
    const action = list(s.Action);
    const notAction = list(s.NotAction);
    const resource = list(s.Resource);
    const notResource = list(s.NotResource);
    return {
      index,
      ...(typeof s.Sid === 'string' && s.Sid !== '' ? { sid: s.Sid } : {}),
      deny: s.Effect === 'Deny',
      ...(action ? { action: compileActions(action) } : {}),
      ...(notAction ? { notAction: compileActions(notAction) } : {}),
      ...(resource ? { resource: compileResources(resource) } : {}),
      ...(notResource ? { notResource: compileResources(notResource) } : {}),
      conditionKeys: conditionKeys(s.Condition),
    };
  });
}

const compiledByObject = new WeakMap<object, readonly CompiledStatement[]>();

/** The compiled statements of a document, compiled once per document object. */
export function compiled(doc: unknown): readonly CompiledStatement[] {
  if (doc === null || typeof doc !== 'object') return compileDocument(doc);
  let c = compiledByObject.get(doc);
  if (c === undefined) {
    c = compileDocument(doc);
    compiledByObject.set(doc, c);
  }
  return c;
}

// ---------------------------------------------------------------------------
// Matching one statement

/** Whether an action matches (actions case-insensitive). */
function actionMatches(m: Matcher, action: string, lower: string): boolean {
  return m.any || m.exact.has(lower) || (m.wild !== undefined && m.wild.test(action));
}

/** 'yes', 'no', or the variables it matches only through. */
function resourceMatches(m: Matcher, resource: string): 'yes' | 'no' | readonly string[] {
  if (m.any || m.exact.has(resource) || (m.wild !== undefined && m.wild.test(resource))) return 'yes';
  if (m.variable !== undefined && m.variable.test(resource)) return m.variables ?? [];
  return 'no';
}

interface Applies {
  readonly statement: CompiledStatement;
  /** Condition keys and policy variables it applies only under; empty when it applies as is. */
  readonly conditions: readonly string[];
}

function applies(s: CompiledStatement, action: string, lower: string, resource: string): Applies | undefined {
  if (s.action !== undefined && !actionMatches(s.action, action, lower)) return undefined;
  if (s.notAction !== undefined && actionMatches(s.notAction, action, lower)) return undefined;
  if (s.action === undefined && s.notAction === undefined) return undefined;
  const conditions = new Set(s.conditionKeys);
  if (s.resource !== undefined) {
    const r = resourceMatches(s.resource, resource);
    if (r === 'no') return undefined;
    if (r !== 'yes') for (const v of r) conditions.add(`\${${v}}`);
  }
  if (s.notResource !== undefined) {
    const r = resourceMatches(s.notResource, resource);
    if (r === 'yes') return undefined;
    // Excluded only if the variable resolves to this resource: applies unless it does.
    if (r !== 'no') for (const v of r) conditions.add(`\${${v}}`);
  }
  if (s.resource === undefined && s.notResource === undefined) return undefined;
  return { statement: s, conditions: [...conditions].sort() };
}

// ---------------------------------------------------------------------------
// Evaluating a permission set

interface NamedPolicy {
  readonly name: string;
  readonly statements: readonly CompiledStatement[];
}

function ref(policy: string, s: CompiledStatement): StatementRef {
  return { policy, statement: s.index, ...(s.sid !== undefined ? { sid: s.sid } : {}) };
}

function describe(r: StatementRef): string {
  return `${r.policy} statement ${r.statement}${r.sid !== undefined ? ` (${r.sid})` : ''}`;
}

function cmName(r: CustomerManagedRef): string {
  return `customer-managed:${(r.path ?? '/').replace(/^\/?/, '/').replace(/\/?$/, '/')}${r.name}`;
}

function matching(policies: readonly NamedPolicy[], deny: boolean, action: string, lower: string, resource: string): { ref: StatementRef; a: Applies }[] {
  const out: { ref: StatementRef; a: Applies }[] = [];
  for (const p of policies) {
    for (const s of p.statements) {
      if (s.deny !== deny) continue;
      const a = applies(s, action, lower, resource);
      if (a !== undefined) out.push({ ref: ref(p.name, s), a });
    }
  }
  return out;
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** Does the permission set allow `request.action` on `request.resource`? */
export function evaluate(request: EvaluationRequest, policies: PermissionSetPolicies, options: EvaluationOptions = {}): Decision {
  const action = request.action;
  const lower = action.toLowerCase();
  const resource = request.resource ?? '*';
  const lookup = options.documents ?? managedPolicyDocument;

  const identity: NamedPolicy[] = [];
  const unknown: string[] = [];
  for (const m of policies.managed ?? []) {
    const doc = lookup(m);
    if (doc === undefined) unknown.push(m);
    else identity.push({ name: m.slice(m.lastIndexOf('/') + 1), statements: compiled(doc) });
  }
  if (policies.inline !== undefined && policies.inline !== null) identity.push({ name: 'inline', statements: compiled(policies.inline) });
  for (const c of policies.customerManaged ?? []) unknown.push(cmName(c));

  const boundary = policies.boundary;
  let boundaryPolicy: NamedPolicy | undefined;
  let boundaryUnknown: string | undefined;
  if (boundary !== undefined) {
    if ('managed' in boundary) {
      const doc = lookup(boundary.managed);
      const name = `boundary:${boundary.managed.slice(boundary.managed.lastIndexOf('/') + 1)}`;
      if (doc === undefined) boundaryUnknown = name;
      else boundaryPolicy = { name, statements: compiled(doc) };
    } else boundaryUnknown = `boundary:${cmName(boundary.customerManaged)}`;
  }
  const withBoundary = boundaryPolicy !== undefined ? [...identity, boundaryPolicy] : identity;
  const unknownField = unknown.length > 0 ? { unknownPolicies: unknown } : {};

  // 1. An explicit Deny that applies as is wins.
  const denies = matching(withBoundary, true, action, lower, resource);
  const hardDeny = denies.find((d) => d.a.conditions.length === 0);
  if (hardDeny !== undefined) {
    return { decision: 'denied', by: hardDeny.ref, reason: `explicitly denied by ${describe(hardDeny.ref)}` };
  }
  const softDenies = denies;

  // 2. The identity policies: a union of Allows.
  const allows = matching(identity, false, action, lower, resource);
  const hardAllow = allows.find((a) => a.a.conditions.length === 0);
  if (allows.length === 0) {
    if (unknown.length > 0) {
      return {
        decision: 'unknown',
        unknownPolicies: unknown,
        reason: `no known policy allows ${action}; it depends on ${unknown.join(', ')}, whose document is not known`,
      };
    }
    return { decision: 'not-allowed', reason: `no policy allows ${action} on ${resource}` };
  }
  let conditions: string[] = hardAllow !== undefined ? [] : union(allows.map((a) => a.a.conditions));
  let conditional: StatementRef[] = hardAllow !== undefined ? [] : allows.map((a) => a.ref);
  let by: StatementRef = hardAllow !== undefined ? hardAllow.ref : allows[0].ref;
  let reason = hardAllow !== undefined ? `allowed by ${describe(by)}` : `allowed only under conditions by ${conditional.map(describe).join(', ')}`;

  // 3. The permissions boundary intersects.
  if (boundaryUnknown !== undefined) {
    return {
      decision: 'unknown',
      by,
      unknownPolicies: [...unknown, boundaryUnknown],
      reason: `${reason}, but the permissions boundary ${boundaryUnknown} is a policy whose document is not known`,
    };
  }
  if (boundaryPolicy !== undefined) {
    const bAllows = matching([boundaryPolicy], false, action, lower, resource);
    if (bAllows.length === 0) {
      return { decision: 'not-allowed', by, reason: `${reason}, but the permissions boundary ${boundaryPolicy.name} does not allow it` };
    }
    if (!bAllows.some((a) => a.a.conditions.length === 0)) {
      conditions = union([conditions, ...bAllows.map((a) => a.a.conditions)]);
      conditional = [...conditional, ...bAllows.map((a) => a.ref)];
      reason = `${reason}; the permissions boundary allows it only under conditions (${bAllows.map((a) => describe(a.ref)).join(', ')})`;
    }
  }

  // 4. A Deny under a condition makes an allowed action conditional.
  if (softDenies.length > 0) {
    const denyConditions = union(softDenies.map((d) => d.a.conditions));
    const refs = softDenies.map((d) => d.ref);
    if (conditions.length === 0) by = refs[0];
    conditions = union([conditions, denyConditions]);
    conditional = [...conditional, ...refs];
    reason = `${reason}; denied under conditions (${denyConditions.join(', ')}) by ${refs.map(describe).join(', ')}`;
  }
  if (conditions.length === 0) return { decision: 'allowed', by, reason, ...unknownField };
  return { decision: 'conditional', by, conditions, conditionalStatements: conditional, reason, ...unknownField };
}
