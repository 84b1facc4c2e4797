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

import { catalogueAction } from '../aws/action-catalogue';
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
  /** With someResource: the resources the deciding Allows name ("*", ARN patterns, or "not ..." for a NotResource). */
  readonly resources?: readonly string[];
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
  /**
   * Ask instead whether the action is allowed on some resource (resource is
   * then ignored): an Allow scoped to any resource counts, unless the catalogue
   * says the action takes only Resource "*"; a Deny counts only when it covers
   * every resource. The answer names the Allows' resources.
   */
  readonly someResource?: boolean;
}

/** A policy document with the name reports give it. */
export interface NamedDocument {
  readonly name: string;
  readonly document: unknown;
}

export interface EvaluationOptions {
  /** Looks up an AWS managed policy document by name/ARN (default: the shipped documents). */
  readonly documents?: (ref: string) => unknown;
  /** Looks up a customer managed policy's document (from an export of the account's policies); undefined when not known. */
  readonly customerManaged?: (ref: CustomerManagedRef) => unknown;
  /**
   * The service control policies over the account, one list per level of the
   * organization (root, each OU, the account): every level must allow the
   * action, and a Deny in any of them wins. Absent: SCPs are not considered.
   */
  readonly scps?: readonly (readonly NamedDocument[])[];
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
  /** The Resource and NotResource patterns as written, for someResource answers. */
  readonly resourcePatterns?: readonly string[];
  readonly notResourcePatterns?: readonly string[];
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
      ...(resource ? { resourcePatterns: resource } : {}),
      ...(notResource ? { notResourcePatterns: notResource } : {}),
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

/** What one statement contributes: where it is, and the conditions it applies under. */
interface Hit {
  readonly ref: StatementRef;
  readonly a: Applies;
}

function ref(policy: string, s: CompiledStatement): StatementRef {
  return { policy, statement: s.index, ...(s.sid !== undefined ? { sid: s.sid } : {}) };
}

function describe(r: StatementRef): string {
  return `${r.policy} statement ${r.statement}${r.sid !== undefined ? ` (${r.sid})` : ''}`;
}

export function customerManagedName(r: CustomerManagedRef): string {
  return `customer-managed:${(r.path ?? '/').replace(/^\/?/, '/').replace(/\/?$/, '/')}${r.name}`;
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** The question, with the matching rule it implies. */
interface Question {
  readonly action: string;
  readonly lower: string;
  readonly resource: string;
  /** Some resource: Allows scoped anywhere count, unless the action takes only "*". */
  readonly some: boolean;
  readonly wildcardOnly: boolean;
}

function question(request: EvaluationRequest): Question {
  const some = request.someResource === true;
  const known = some ? catalogueAction(request.action) : undefined;
  return {
    action: request.action,
    lower: request.action.toLowerCase(),
    resource: some ? '*' : request.resource ?? '*',
    some,
    wildcardOnly: known !== undefined && known.resourceTypes.length === 0,
  };
}

/** Whether an Allow applies to the action on some resource: any Resource, or a NotResource that does not exclude everything. */
function appliesSomewhere(s: CompiledStatement, q: Question): Applies | undefined {
  if (q.wildcardOnly) return applies(s, q.action, q.lower, '*');
  if (s.action !== undefined && !actionMatches(s.action, q.action, q.lower)) return undefined;
  if (s.notAction !== undefined && actionMatches(s.notAction, q.action, q.lower)) return undefined;
  if (s.action === undefined && s.notAction === undefined) return undefined;
  if (s.resource === undefined && (s.notResource === undefined || s.notResource.any)) return undefined;
  return { statement: s, conditions: s.conditionKeys };
}

function matching(policies: readonly NamedPolicy[], deny: boolean, q: Question): Hit[] {
  const out: Hit[] = [];
  for (const p of policies) {
    for (const s of p.statements) {
      if (s.deny !== deny) continue;
      // On some resource, a Deny decides only where it covers every resource.
      const a = q.some && !deny ? appliesSomewhere(s, q) : applies(s, q.action, q.lower, q.resource);
      if (a !== undefined) out.push({ ref: ref(p.name, s), a });
    }
  }
  return out;
}

/** The policies in play: identity (a union), the boundary and SCP levels (intersections), and those whose documents are not known. */
interface Gathered {
  readonly identity: readonly NamedPolicy[];
  readonly unknown: readonly string[];
  readonly boundary?: NamedPolicy;
  readonly boundaryUnknown?: string;
  readonly scpLevels: readonly (readonly NamedPolicy[])[];
}

function gather(policies: PermissionSetPolicies, options: EvaluationOptions): Gathered {
  const lookup = options.documents ?? managedPolicyDocument;
  const identity: NamedPolicy[] = [];
  const unknown: string[] = [];
  for (const m of policies.managed ?? []) {
    const doc = lookup(m);
    if (doc === undefined) unknown.push(m);
    else identity.push({ name: m.slice(m.lastIndexOf('/') + 1), statements: compiled(doc) });
  }
  if (policies.inline !== undefined && policies.inline !== null) identity.push({ name: 'inline', statements: compiled(policies.inline) });
  for (const c of policies.customerManaged ?? []) {
    const doc = options.customerManaged?.(c);
    if (doc === undefined) unknown.push(customerManagedName(c));
    else identity.push({ name: customerManagedName(c), statements: compiled(doc) });
  }
  const scpLevels = (options.scps ?? []).map((level) => level.map((d) => ({ name: `scp:${d.name}`, statements: compiled(d.document) })));
  const b = policies.boundary;
  if (b === undefined) return { identity, unknown, scpLevels };
  const name = 'managed' in b ? `boundary:${b.managed.slice(b.managed.lastIndexOf('/') + 1)}` : `boundary:${customerManagedName(b.customerManaged)}`;
  const doc = 'managed' in b ? lookup(b.managed) : options.customerManaged?.(b.customerManaged);
  return doc === undefined ? { identity, unknown, boundaryUnknown: name, scpLevels } : { identity, unknown, boundary: { name, statements: compiled(doc) }, scpLevels };
}

/** The resources the Allows name, for a someResource answer. */
function resourcesOf(hits: readonly Hit[]): string[] {
  const out = new Set<string>();
  for (const h of hits) {
    const s = h.a.statement;
    for (const r of s.resourcePatterns ?? []) out.add(r);
    if (s.notResourcePatterns !== undefined) out.add(`not ${s.notResourcePatterns.join(', ')}`);
  }
  return [...out].sort();
}

/** A decision in the making: what allows it so far, under which conditions. */
interface Allowing {
  by: StatementRef;
  conditions: string[];
  conditional: StatementRef[];
  reason: string;
  hits: Hit[];
}

/** An intersecting layer (the boundary, an SCP level): undefined when it allows, else the answer it forces. */
function intersect(layer: readonly NamedPolicy[], label: string, q: Question, state: Allowing): Decision | undefined {
  const allows = matching(layer, false, q);
  if (allows.length === 0) return { decision: 'not-allowed', by: state.by, reason: `${state.reason}, but ${label} does not allow it` };
  if (!allows.some((a) => a.a.conditions.length === 0)) {
    state.conditions = union([state.conditions, ...allows.map((a) => a.a.conditions)]);
    state.conditional = [...state.conditional, ...allows.map((a) => a.ref)];
    state.reason = `${state.reason}; ${label} allows it only under conditions (${allows.map((a) => describe(a.ref)).join(', ')})`;
  }
  return undefined;
}

/** Does the permission set allow `request.action` on `request.resource` (or, with someResource, on some resource)? */
export function evaluate(request: EvaluationRequest, policies: PermissionSetPolicies, options: EvaluationOptions = {}): Decision {
  const q = question(request);
  const g = gather(policies, options);
  const unknownField = g.unknown.length > 0 ? { unknownPolicies: g.unknown } : {};
  const where = q.some ? 'any resource' : q.resource;

  // 1. An explicit Deny that applies as is wins, in any policy: identity, boundary, SCP.
  const denies = matching([...g.identity, ...(g.boundary ? [g.boundary] : []), ...g.scpLevels.flat()], true, q);
  const hardDeny = denies.find((d) => d.a.conditions.length === 0);
  if (hardDeny !== undefined) return { decision: 'denied', by: hardDeny.ref, reason: `explicitly denied by ${describe(hardDeny.ref)}` };

  // 2. The identity policies: a union of Allows.
  const allows = matching(g.identity, false, q);
  if (allows.length === 0) {
    if (g.unknown.length > 0) {
      return {
        decision: 'unknown',
        unknownPolicies: g.unknown,
        reason: `no known policy allows ${q.action}; it depends on ${g.unknown.join(', ')}, whose document is not known`,
      };
    }
    return { decision: 'not-allowed', reason: `no policy allows ${q.action} on ${where}` };
  }
  const hard = allows.filter((a) => a.a.conditions.length === 0);
  const state: Allowing = hard.length > 0
    ? { by: hard[0].ref, conditions: [], conditional: [], reason: `allowed by ${describe(hard[0].ref)}`, hits: hard }
    : {
        by: allows[0].ref,
        conditions: union(allows.map((a) => a.a.conditions)),
        conditional: allows.map((a) => a.ref),
        reason: `allowed only under conditions by ${allows.map((a) => describe(a.ref)).join(', ')}`,
        hits: allows,
      };

  // 3. The permissions boundary and each SCP level intersect.
  if (g.boundaryUnknown !== undefined) {
    return {
      decision: 'unknown',
      by: state.by,
      unknownPolicies: [...g.unknown, g.boundaryUnknown],
      reason: `${state.reason}, but the permissions boundary ${g.boundaryUnknown} is a policy whose document is not known`,
    };
  }
  const layers: [readonly NamedPolicy[], string][] = [
    ...(g.boundary ? [[[g.boundary], `the permissions boundary ${g.boundary.name}`] as [readonly NamedPolicy[], string]] : []),
    ...g.scpLevels.map((level, i): [readonly NamedPolicy[], string] => [level, `the service control policies at level ${i} (${level.map((p) => p.name).join(', ') || 'none'})`]),
  ];
  for (const [layer, label] of layers) {
    const forced = intersect(layer, label, q, state);
    if (forced !== undefined) return forced;
  }

  // 4. A Deny under a condition makes an allowed action conditional.
  if (denies.length > 0) {
    const denyConditions = union(denies.map((d) => d.a.conditions));
    const refs = denies.map((d) => d.ref);
    if (state.conditions.length === 0) state.by = refs[0];
    state.conditions = union([state.conditions, denyConditions]);
    state.conditional = [...state.conditional, ...refs];
    state.reason = `${state.reason}; denied under conditions (${denyConditions.join(', ')}) by ${refs.map(describe).join(', ')}`;
  }
  const resources = q.some ? { resources: resourcesOf(state.hits) } : {};
  if (state.conditions.length === 0) return { decision: 'allowed', by: state.by, ...resources, reason: state.reason, ...unknownField };
  return { decision: 'conditional', by: state.by, conditions: state.conditions, conditionalStatements: state.conditional, ...resources, reason: state.reason, ...unknownField };
}
