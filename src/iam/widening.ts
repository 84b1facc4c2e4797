// Does a change of a permission set's policies widen what it allows (issue
// 27)? The approval rules count every holder of a widened permission set as
// gaining access, so the answer must be sound: "widens" when unsure, "does
// not widen" only when the head allows nothing the base did not, on any
// resource, in any request context.
//
// The proof is by containment, statement by statement, in set terms: a
// statement allows the (action, resource) pairs its Action/NotAction and
// Resource/NotResource name, when its Condition holds. The head allows no
// more than the base when
//   - every head Allow of the identity policies (AWS managed with a shipped
//     document, inline) is covered: each of its (action pattern, resource
//     pattern) parts lies inside one base Allow whose condition is no
//     stricter (no condition, or every condition block of it also in the
//     head statement: blocks are ANDed, so more blocks only restrict);
//   - every base Deny is covered the same way by head Denies (a Deny that
//     goes, narrows or gains a condition widens);
//   - the permissions boundary is unchanged, added, or (both shipped AWS
//     managed documents) contained the same way; removed or changed to one
//     whose document is unknown, it widens;
//   - policies whose documents are unknown (customer managed ones, AWS
//     managed ones accessctl does not ship) are the same on both sides: one
//     attached may allow anything, one detached may have held a Deny.
// A pattern covers another when it matches the other's text with the other's
// wildcards taken as characters: `*` may absorb any run of them (so
// `arn:aws:s3:::b/*` covers `arn:aws:s3:::b/x*`: whatever string `b/x*`
// matches, `b/*` matches too), `?` only one literal character or a `?` (never a
// `*`, which may stand for many), a policy variable only the same variable.
// Within resources a `*` does not absorb a `:` unless the pattern is `*`
// alone, so the answer holds whether or not IAM lets `*` span ARN segments.
// Actions compare case-insensitively, resources and conditions as written. A
// statement naming both Action and NotAction (or Resource and NotResource)
// covers nothing, since its set is smaller than either list says.
// Wildcards are compared as patterns, never expanded through the action
// catalogue: `s3:Get*` matches the s3:Get actions AWS adds next year too.

import { managedPolicyDocument } from '../aws/managed-policy-documents';
import { customerManagedName, type CustomerManagedRef, type PermissionSetPolicies } from './evaluate';

export interface Widening {
  readonly widens: boolean;
  /** Why, one line each, in policy order; empty when it does not widen. */
  readonly reasons: readonly string[];
}

export interface WideningOptions {
  /** Looks up an AWS managed policy document by name/ARN (default: the shipped documents). */
  readonly documents?: (ref: string) => unknown;
}

// ---------------------------------------------------------------------------
// Patterns as tokens: 'c' + a literal character, '*', '?', 'v' + a variable.

interface Pattern {
  readonly text: string;
  readonly tokens: readonly string[];
  /** Its literal start up to the first ':' (the service of an action), when it has one without wildcards. */
  readonly service?: string;
}

const VARIABLE = /\$\{([^}]*)\}/;

function charTokens(text: string): string[] {
  return [...text].map((ch) => (ch === '*' || ch === '?' ? ch : `c${ch}`));
}

/** Actions: lower case, no variables. Resources: `${name}` a variable when the document allows them, `${*}`, `${?}`, `${$}` literal characters. */
function pattern(raw: string, resource: boolean, variables: boolean): Pattern {
  const text = resource ? raw : raw.toLowerCase();
  let tokens: string[];
  if (!resource || !variables) tokens = charTokens(text);
  else {
    const parts = text.split(new RegExp(VARIABLE.source, 'g'));
    tokens = parts.flatMap((part, i) => (i % 2 === 0 ? charTokens(part) : ['*', '?', '$'].includes(part) ? [`c${part}`] : [`v${part}`]));
  }
  const colon = tokens.indexOf('c:');
  const head = colon > 0 ? tokens.slice(0, colon) : undefined;
  const service = head !== undefined && head.every((t) => t.startsWith('c')) ? head.map((t) => t.slice(1)).join('') : undefined;
  return { text: raw, tokens, ...(service !== undefined ? { service } : {}) };
}

const universal = (p: Pattern): boolean => p.tokens.length > 0 && p.tokens.every((t) => t === '*');

/** Whether `q` matches every string `p` matches (see the header); `resource` keeps a `*` of q from absorbing a ':'. */
function patternCovers(q: Pattern, p: Pattern, resource: boolean): boolean {
  if (universal(q)) return true;
  const Q = q.tokens;
  const P = p.tokens;
  // next[j]: Q[i+1..] covers P[j..]; cur[j]: Q[i..] covers P[j..].
  let next = P.map(() => false).concat([true]);
  for (let i = Q.length - 1; i >= 0; i--) {
    const cur: boolean[] = new Array<boolean>(P.length + 1).fill(false);
    for (let j = P.length; j >= 0; j--) {
      const t = Q[i]!;
      if (t === '*') cur[j] = next[j]! || (j < P.length && !(resource && P[j] === 'c:') && cur[j + 1]!);
      else if (t === '?') cur[j] = j < P.length && (P[j]!.startsWith('c') || P[j] === '?') && next[j + 1]!;
      else cur[j] = j < P.length && P[j] === t && next[j + 1]!;
    }
    next = cur;
  }
  return next[0]!;
}

/** The literal run at the start (or end) of a pattern, as text. */
function literalEnd(p: Pattern, fromEnd: boolean): string {
  const tokens = fromEnd ? [...p.tokens].reverse() : p.tokens;
  const stop = tokens.findIndex((t) => !t.startsWith('c'));
  const run = (stop < 0 ? tokens : tokens.slice(0, stop)).map((t) => t.slice(1));
  return (fromEnd ? run.reverse() : run).join('');
}

/** True only when no string matches both (unsure: false): their literal starts or ends disagree, or a literal `p` that `y` does not match. */
function disjoint(p: Pattern, y: Pattern): boolean {
  const [ps, ys, pe, ye] = [literalEnd(p, false), literalEnd(y, false), literalEnd(p, true), literalEnd(y, true)];
  if (!ps.startsWith(ys) && !ys.startsWith(ps)) return true;
  if (!pe.endsWith(ye) && !ye.endsWith(pe)) return true;
  const literal = (x: Pattern): boolean => x.tokens.every((t) => t.startsWith('c'));
  const noVariables = y.tokens.every((t) => !t.startsWith('v'));
  return literal(p) && noVariables && !patternCovers(y, p, false);
}

// ---------------------------------------------------------------------------
// Statements

/** Action or NotAction (`not`), Resource or NotResource, as patterns. */
interface Spec {
  readonly not: boolean;
  readonly patterns: readonly Pattern[];
  /** The patterns by service, and those without one, to find the few that can cover a pattern. */
  readonly byService: ReadonlyMap<string, readonly Pattern[]>;
  readonly anyService: readonly Pattern[];
}

interface Statement {
  /** "inline statement 1 (ReleasePipelines)", "ReadOnlyAccess statement 0". */
  readonly where: string;
  readonly deny: boolean;
  /** What it allows or denies, when it names both (a statement without Action or Resource applies to nothing). */
  readonly action?: Spec;
  readonly resource?: Spec;
  /** Whether it may cover others: it names only one of Action/NotAction and of Resource/NotResource, so its set is exactly its spec's. */
  readonly exact: boolean;
  /** Condition blocks, one per operator and key: "Operator\0key\0[values]" (keys lower case, values sorted). */
  readonly blocks: ReadonlySet<string>;
  /** The condition as reasons show it: " if StringEquals aws:RequestedRegion us-east-1", or "". */
  readonly conditionText: string;
  /** Canonical form: two statements with the same key allow the same. */
  readonly key: string;
}

function spec(list: readonly string[], not: boolean, resource: boolean, variables: boolean): Spec {
  const patterns = list.map((x) => pattern(x, resource, variables));
  const byService = new Map<string, Pattern[]>();
  const anyService: Pattern[] = [];
  for (const p of patterns) {
    if (p.service === undefined) anyService.push(p);
    else byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
  }
  return { not, patterns, byService, anyService };
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

/** " if Operator key value, value and Operator key value", as written; "" without a condition. */
function conditionText(condition: unknown): string {
  if (condition === null || typeof condition !== 'object') return '';
  const shown = Object.entries(condition as Record<string, unknown>).flatMap(([operator, block]) =>
    block !== null && typeof block === 'object'
      ? Object.entries(block as Record<string, unknown>).map(([key, values]) => `${operator} ${key} ${(strings(values) ?? []).join(', ')}`)
      : [`${operator} ${JSON.stringify(block)}`]);
  return shown.length > 0 ? ` if ${shown.join(' and ')}` : '';
}

function conditionBlocks(condition: unknown): Set<string> {
  const out = new Set<string>();
  if (condition === null || typeof condition !== 'object') return out;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object') {
      out.add(`${operator}\0?\0${JSON.stringify(block)}`);
      continue;
    }
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      out.add(`${operator}\0${key.toLowerCase()}\0${JSON.stringify([...new Set(strings(values) ?? [])].sort())}`);
    }
  }
  return out;
}

/** One side of a statement: Action or NotAction (both: Action, and the statement covers nothing). */
function sideOf(s: Record<string, unknown>, yes: string, no: string, resource: boolean, variables: boolean): { spec?: Spec; exact: boolean } {
  const y = strings(s[yes]);
  const n = strings(s[no]);
  if (y !== undefined) return { spec: spec(y, false, resource, variables), exact: n === undefined };
  if (n !== undefined) return { spec: spec(n, true, resource, variables), exact: true };
  return { exact: true };
}

function specKey(s: Spec | undefined): unknown {
  return s === undefined ? null : [s.not, [...new Set(s.patterns.map((p) => p.tokens.join('\u0001')))].sort()];
}

const compiledDocuments = new WeakMap<object, Map<string, readonly Statement[]>>();

/** The statements of a document, compiled once per document object and policy name (the shipped documents are shared objects). */
function statementsOf(policy: string, doc: unknown): readonly Statement[] {
  if (doc === null || typeof doc !== 'object') return compileStatements(policy, doc);
  const byName = compiledDocuments.get(doc) ?? new Map<string, readonly Statement[]>();
  compiledDocuments.set(doc, byName);
  let statements = byName.get(policy);
  if (statements === undefined) {
    statements = compileStatements(policy, doc);
    byName.set(policy, statements);
  }
  return statements;
}

/** The statements of a document (an object with Statement, or the shipped list of statements). */
function compileStatements(policy: string, doc: unknown): Statement[] {
  let raw: unknown = doc;
  let variables = true;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    // Policy variables are substituted only from version 2012-10-17; in an older document `${x}` is text.
    variables = (raw as { Version?: unknown }).Version === '2012-10-17';
    raw = (raw as { Statement?: unknown }).Statement;
  }
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]) as Record<string, unknown>[];
  return list.map((s, index) => {
    const action = sideOf(s, 'Action', 'NotAction', false, variables);
    const resource = sideOf(s, 'Resource', 'NotResource', true, variables);
    const blocks = conditionBlocks(s.Condition);
    const deny = s.Effect === 'Deny';
    const sid = typeof s.Sid === 'string' && s.Sid !== '' ? ` (${s.Sid})` : '';
    return {
      where: `${policy} statement ${index}${sid}`,
      deny,
      ...(action.spec !== undefined && resource.spec !== undefined ? { action: action.spec, resource: resource.spec } : {}),
      exact: action.exact && resource.exact,
      blocks,
      conditionText: conditionText(s.Condition),
      key: JSON.stringify([deny, specKey(action.spec), specKey(resource.spec), [...blocks].sort(), action.exact && resource.exact]),
    };
  });
}

// ---------------------------------------------------------------------------
// Coverage

/** One part of a statement's set: a single pattern of Action/Resource, or the whole of a NotAction/NotResource. */
interface Part {
  readonly not: boolean;
  readonly patterns: readonly Pattern[];
}

const partsOf = (s: Spec): Part[] => (s.not ? [{ not: true, patterns: s.patterns }] : s.patterns.map((p) => ({ not: false, patterns: [p] })));

/** The patterns of `big` that can cover `p`: those of its service and those without one (all of them for a `p` without a service). */
function candidates(big: Spec, p: Pattern): readonly Pattern[] {
  if (p.service === undefined) return big.patterns;
  const same = big.byService.get(p.service) ?? [];
  return big.anyService.length === 0 ? same : [...same, ...big.anyService];
}

/** Whether everything `part` names is inside what `big` names. */
function specCovers(big: Spec, part: Part, resource: boolean): boolean {
  if (!big.not && !part.not) return candidates(big, part.patterns[0]!).some((q) => patternCovers(q, part.patterns[0]!, resource));
  // Every action but X is inside an Action list only through a pattern that matches everything.
  if (!big.not) return big.patterns.some(universal);
  // A pattern is inside "every action but Y" when it can match nothing of Y.
  if (!part.not) return big.patterns.every((y) => disjoint(part.patterns[0]!, y));
  // "Every action but X" is inside "every action but Y" when X excludes at least what Y excludes.
  return big.patterns.every((y) => part.patterns.some((x) => patternCovers(x, y, resource)));
}

/** Whether `big` holds whenever `small` does, as far as conditions go: every block of big is in small (or big has none). */
function conditionCovers(big: ReadonlySet<string>, small: ReadonlySet<string>): boolean {
  for (const b of big) if (!small.has(b)) return false;
  return true;
}

/** The parts (action part, resource part) of `small` that no statement of `bigs` covers. */
function uncovered(small: Statement, bigs: readonly Statement[]): Array<[Part, Part]> {
  if (small.action === undefined || small.resource === undefined) return [];
  const usable = bigs.filter((b) => b.exact && b.action !== undefined && b.resource !== undefined && conditionCovers(b.blocks, small.blocks));
  const out: Array<[Part, Part]> = [];
  for (const a of partsOf(small.action)) {
    const withAction = usable.filter((b) => specCovers(b.action!, a, false));
    for (const r of partsOf(small.resource)) if (!withAction.some((b) => specCovers(b.resource!, r, true))) out.push([a, r]);
  }
  return out;
}

const partText = (p: Part, what: string): string => (p.not ? `every ${what} but ${p.patterns.map((x) => x.text).join(', ')}` : p.patterns[0]!.text);


/** "s3:GetObject on arn:aws:s3:::b/*, s3:PutObject on * and 3 more". */
function pairsText(pairs: ReadonlyArray<[Part, Part]>): string {
  const shown = pairs.slice(0, 3).map(([a, r]) => `${partText(a, 'action')} on ${partText(r, 'resource')}`);
  return pairs.length > 3 ? `${shown.join(', ')} and ${pairs.length - 3} more` : shown.join(', ');
}

/**
 * Why the `after` statements allow more than the `before` ones: each Allow
 * of after not covered by before's Allows, each Deny of before not covered by
 * after's Denies; `label` prefixes the lines ("the permissions boundary: ").
 */
function statementReasons(before: readonly Statement[], after: readonly Statement[], label = ''): string[] {
  const reasons: string[] = [];
  const beforeAllows = before.filter((s) => !s.deny);
  const afterDenies = after.filter((s) => s.deny);
  const allowKeys = new Set(beforeAllows.map((s) => s.key));
  const denyKeys = new Set(afterDenies.map((s) => s.key));
  for (const s of after) {
    if (s.deny || allowKeys.has(s.key)) continue;
    const gained = uncovered(s, beforeAllows);
    if (gained.length > 0) reasons.push(`${label}${s.where} allows ${pairsText(gained)}${s.conditionText}`);
  }
  for (const s of before) {
    if (!s.deny || denyKeys.has(s.key)) continue;
    const lost = uncovered(s, afterDenies);
    if (lost.length > 0) reasons.push(`${label}${s.where} denied ${pairsText(lost)}${s.conditionText}, and nothing denies it now`);
  }
  return reasons;
}

// ---------------------------------------------------------------------------
// Permission sets

const policyName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** The statements of the identity policies whose documents are known: the AWS managed ones shipped, and the inline policy. */
function identityStatements(p: PermissionSetPolicies, lookup: (ref: string) => unknown): Statement[] {
  const out: Statement[] = [];
  for (const m of p.managed ?? []) {
    const doc = lookup(m);
    if (doc !== undefined) out.push(...statementsOf(policyName(m), doc));
  }
  if (p.inline !== undefined && p.inline !== null) out.push(...statementsOf('inline', p.inline));
  return out;
}

/** Policies whose documents are not known, by the name reasons give them. */
function unknownPolicies(p: PermissionSetPolicies, lookup: (ref: string) => unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of p.managed ?? []) if (lookup(m) === undefined) out.set(m, `the AWS managed policy ${policyName(m)}, whose document accessctl does not ship`);
  for (const c of p.customerManaged ?? []) {
    out.set(customerManagedName(c), `the customer managed policy ${customerManagedName(c).slice('customer-managed:'.length)}, whose document is in the account, not the files`);
  }
  return out;
}

/** An unknown policy attached may allow anything; one detached may have held a Deny. */
function unknownReasons(before: PermissionSetPolicies, after: PermissionSetPolicies, lookup: (ref: string) => unknown): string[] {
  const b = unknownPolicies(before, lookup);
  const a = unknownPolicies(after, lookup);
  return [
    ...[...a].filter(([k]) => !b.has(k)).map(([, what]) => `attaches ${what}: it may allow anything`),
    ...[...b].filter(([k]) => !a.has(k)).map(([, what]) => `detaches ${what}: a Deny in it would no longer apply`),
  ];
}

type Boundary = NonNullable<PermissionSetPolicies['boundary']>;

function boundaryName(b: Boundary): string {
  return 'managed' in b ? policyName(b.managed) : `customer managed policy ${customerManagedName(b.customerManaged).slice('customer-managed:'.length)}`;
}

const sameRef = (x: CustomerManagedRef, y: CustomerManagedRef): boolean => customerManagedName(x) === customerManagedName(y);

/** A boundary removed widens, one added narrows; a changed one is compared when both documents are known. */
function boundaryReasons(before: Boundary | undefined, after: Boundary | undefined, lookup: (ref: string) => unknown): string[] {
  if (before === undefined) return [];
  if (after === undefined) return [`removes the permissions boundary ${boundaryName(before)}`];
  if ('managed' in before && 'managed' in after) {
    if (before.managed === after.managed) return [];
    const b = lookup(before.managed);
    const a = lookup(after.managed);
    if (b !== undefined && a !== undefined) {
      return statementReasons(statementsOf(`boundary:${policyName(before.managed)}`, b), statementsOf(`boundary:${policyName(after.managed)}`, a), 'the permissions boundary: ');
    }
  } else if ('customerManaged' in before && 'customerManaged' in after && sameRef(before.customerManaged, after.customerManaged)) return [];
  return [`changes the permissions boundary from ${boundaryName(before)} to ${boundaryName(after)}, whose documents cannot be compared`];
}

/**
 * Whether `after` allows anything `before` did not (sound: it may say yes
 * when unsure, never no when it does), with the reasons. Removing policies,
 * statements, actions or resources, adding a Deny, a condition or a boundary,
 * and rewriting a document without changing what it allows are not widening.
 */
export function widens(before: PermissionSetPolicies, after: PermissionSetPolicies, options: WideningOptions = {}): Widening {
  const lookup = options.documents ?? managedPolicyDocument;
  const reasons = [
    ...statementReasons(identityStatements(before, lookup), identityStatements(after, lookup)),
    ...unknownReasons(before, after, lookup),
    ...boundaryReasons(before.boundary, after.boundary, lookup),
  ];
  return { widens: reasons.length > 0, reasons };
}
