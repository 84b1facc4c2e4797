// What a permission set can do, by service (issue 27, `accessctl permissions`):
// for each service, how many of its catalogue actions at each access level are
// allowed, conditional or unknown on some resource, a verdict (full, or the
// widest level held), and the sensitive actions held with the statement that
// allows them.
//
// Cost: only services an Allow statement of a known identity policy can name
// are evaluated action by action; every other service has nothing allowed by
// a known policy (its actions are all not-allowed, or all unknown when a
// customer managed policy is attached), so it is not listed. Pure apart from
// reading the shipped catalogue and managed policy documents.

import {
  ACCESS_LEVELS, catalogueServices, catalogueVersion, serviceActions, serviceName, type AccessLevel,
} from '../aws/action-catalogue';
import { managedPolicyDocument } from '../aws/managed-policy-documents';
import {
  customerManagedName, evaluate, type Decision, type EvaluationOptions, type PermissionSetPolicies, type StatementRef,
} from './evaluate';
import { sensitiveHits, type SensitiveHit } from './sensitive';

/** How many of a service's actions at one access level are allowed, conditional and unknown, out of how many exist. */
export interface LevelCounts {
  readonly allowed: number;
  readonly conditional: number;
  readonly unknown: number;
  readonly total: number;
}

/**
 * `full`: every action of the service is allowed. Otherwise the widest access
 * level with an allowed action (permissions management, write, tagging, read,
 * list, widest first); with none allowed, `conditional` if some action is
 * allowed under conditions, `unknown` if some depends on a policy whose
 * document is not known, else `none`.
 */
export type Verdict = 'full' | 'permissions management' | 'write' | 'tagging' | 'read' | 'list' | 'conditional' | 'unknown' | 'none';

export interface ServiceSummary {
  /** The service prefix, e.g. s3. */
  readonly service: string;
  /** Its name in the catalogue, e.g. Amazon S3. */
  readonly name: string;
  readonly verdict: Verdict;
  /** Every access level, in ACCESS_LEVELS order (levels the service lacks have total 0). */
  readonly levels: Readonly<Record<AccessLevel, LevelCounts>>;
}

/** A sensitive pattern held: its actions allowed, conditional or unknown, and what allows them. */
export interface SensitiveSummary extends SensitiveHit {
  /** How many of its actions are allowed, conditional and unknown (they add up to actions.length). */
  readonly counts: { readonly allowed: number; readonly conditional: number; readonly unknown: number };
  /** The statement that decides the first of the actions with the pattern's decision. */
  readonly by?: StatementRef;
  /** For a conditional pattern: the condition keys and variables of its conditional actions, sorted. */
  readonly conditions?: readonly string[];
  /** The resources the Allows of its actions name ("*", ARN patterns, "not …"), sorted. */
  readonly resources?: readonly string[];
}

export interface PermissionSetSummary {
  readonly permissionSet: string;
  /** Sorted by service prefix. */
  readonly services: readonly ServiceSummary[];
  /** What every action of a service not listed comes to: `unknown` when an identity policy's document is not known. */
  readonly otherServices: 'not-allowed' | 'unknown';
  /** In the order of the patterns. */
  readonly sensitive: readonly SensitiveSummary[];
  /** Policies whose documents are not known (customer managed, a customer managed boundary), sorted. */
  readonly unknownPolicies: readonly string[];
  readonly catalogueVersion: string;
}

export interface SummaryRequest {
  readonly permissionSet: string;
  readonly policies: PermissionSetPolicies;
  /** The sensitive action patterns (sensitivePatterns(model)). */
  readonly patterns: readonly string[];
  /** Only these service prefixes (lower case, from catalogueServices()): each is listed even when nothing is held. */
  readonly services?: readonly string[];
}

/** The summary of one permission set's policies. */
export function summarize(request: SummaryRequest, options: EvaluationOptions = {}): PermissionSetSummary {
  const { policies } = request;
  const unknown = unknownPolicies(policies, options);
  const otherServices = unknown.identity.length > 0 ? 'unknown' : 'not-allowed';
  const memo = new Map<string, Decision>();
  const decide = (action: string): Decision => {
    let d = memo.get(action);
    if (d === undefined) {
      d = evaluate({ action, someResource: true }, policies, options);
      memo.set(action, d);
    }
    return d;
  };
  const filter = request.services === undefined ? undefined : new Set(request.services);
  const candidates = filter !== undefined ? [...filter].sort() : candidateServices(policies, options);
  const services: ServiceSummary[] = [];
  for (const service of candidates) {
    const s = serviceSummary(service, decide);
    if (filter !== undefined || listed(s, otherServices)) services.push(s);
  }
  const sensitive = sensitiveHits(policies, request.patterns, options)
    .filter((h) => filter === undefined || h.actions.some((a) => filter.has(a.slice(0, a.indexOf(':')).toLowerCase())))
    .map((h) => sensitiveSummary(h, decide));
  return {
    permissionSet: request.permissionSet,
    services,
    otherServices,
    sensitive,
    unknownPolicies: [...unknown.identity, ...(unknown.boundary !== undefined ? [unknown.boundary] : [])].sort(),
    catalogueVersion: catalogueVersion(),
  };
}

/** A service is listed when something in it is held, or unknown while the services not listed are not. */
function listed(s: ServiceSummary, otherServices: PermissionSetSummary['otherServices']): boolean {
  const counts = Object.values(s.levels);
  const held = counts.some((c) => c.allowed + c.conditional > 0);
  return held || (otherServices === 'not-allowed' && counts.some((c) => c.unknown > 0));
}

function serviceSummary(service: string, decide: (action: string) => Decision): ServiceSummary {
  const levels = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, { allowed: 0, conditional: 0, unknown: 0, total: 0 }])) as Record<
    AccessLevel,
    { allowed: number; conditional: number; unknown: number; total: number }
  >;
  for (const a of serviceActions(service)) {
    const c = levels[a.level];
    c.total++;
    const d = decide(a.action).decision;
    if (d === 'allowed' || d === 'conditional' || d === 'unknown') c[d]++;
  }
  return { service, name: serviceName(service) ?? service, verdict: verdictOf(levels), levels };
}

const WIDEST_FIRST: readonly AccessLevel[] = [...ACCESS_LEVELS].reverse();

/** See Verdict. */
export function verdictOf(levels: Readonly<Record<AccessLevel, LevelCounts>>): Verdict {
  const counts = ACCESS_LEVELS.map((l) => levels[l]);
  const total = counts.reduce((n, c) => n + c.total, 0);
  if (total > 0 && counts.every((c) => c.allowed === c.total)) return 'full';
  const widest = WIDEST_FIRST.find((l) => levels[l].allowed > 0);
  if (widest !== undefined) return widest.toLowerCase() as Verdict;
  if (counts.some((c) => c.conditional > 0)) return 'conditional';
  return counts.some((c) => c.unknown > 0) ? 'unknown' : 'none';
}

function sensitiveSummary(hit: SensitiveHit, decide: (action: string) => Decision): SensitiveSummary {
  const decisions = hit.actions.map(decide);
  const first = decisions.find((d) => d.decision === hit.decision);
  const conditions = hit.decision === 'conditional' ? sortedUnion(decisions.map((d) => d.conditions ?? [])) : [];
  const resources = sortedUnion(decisions.map((d) => d.resources ?? []));
  return {
    pattern: hit.pattern,
    decision: hit.decision,
    actions: hit.actions,
    total: hit.total,
    counts: {
      allowed: decisions.filter((d) => d.decision === 'allowed').length,
      conditional: decisions.filter((d) => d.decision === 'conditional').length,
      unknown: decisions.filter((d) => d.decision === 'unknown').length,
    },
    ...(first?.by !== undefined ? { by: first.by } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(resources.length > 0 ? { resources } : {}),
  };
}

function sortedUnion(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** The policies whose documents are not known, named the way the evaluator names them: identity ones, and the boundary. */
function unknownPolicies(policies: PermissionSetPolicies, options: EvaluationOptions): { identity: string[]; boundary?: string } {
  const lookup = options.documents ?? managedPolicyDocument;
  const identity = [
    ...(policies.managed ?? []).filter((m) => lookup(m) === undefined),
    ...(policies.customerManaged ?? []).filter((c) => options.customerManaged?.(c) === undefined).map(customerManagedName),
  ];
  const b = policies.boundary;
  if (b === undefined) return { identity };
  if ('managed' in b) return lookup(b.managed) === undefined ? { identity, boundary: `boundary:${b.managed.slice(b.managed.lastIndexOf('/') + 1)}` } : { identity };
  return options.customerManaged?.(b.customerManaged) === undefined ? { identity, boundary: `boundary:${customerManagedName(b.customerManaged)}` } : { identity };
}

/**
 * The catalogue services an Allow of a known identity policy can name, sorted:
 * the service of each Action pattern whose service part has no wildcard; every
 * service for a wildcard service part (`*`, `s3*`) or a NotAction.
 */
export function candidateServices(policies: PermissionSetPolicies, options: EvaluationOptions = {}): string[] {
  const all = catalogueServices();
  const known = new Set(all);
  const out = new Set<string>();
  for (const doc of identityDocuments(policies, options)) {
    for (const s of statementsOf(doc)) {
      if (s.Effect !== 'Allow') continue;
      const actions = s.NotAction !== undefined ? ['*'] : asList(s.Action);
      for (const pattern of actions) {
        const colon = pattern.indexOf(':');
        const service = colon < 0 ? '*' : pattern.slice(0, colon);
        if (/[*?]/.test(service)) return all;
        if (known.has(service.toLowerCase())) out.add(service.toLowerCase());
      }
    }
  }
  return [...out].sort();
}

function identityDocuments(policies: PermissionSetPolicies, options: EvaluationOptions): unknown[] {
  const lookup = options.documents ?? managedPolicyDocument;
  return [
    ...(policies.managed ?? []).map((m) => lookup(m)),
    policies.inline,
    ...(policies.customerManaged ?? []).map((c) => options.customerManaged?.(c)),
  ].filter((d) => d !== undefined && d !== null);
}

/** A document's statements: `{Statement: …}` or the shipped form (a list), a lone statement as a list of one. */
function statementsOf(doc: unknown): Array<Record<string, unknown>> {
  const raw = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as { Statement?: unknown }).Statement : doc;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.filter((s): s is Record<string, unknown> => s !== null && typeof s === 'object');
}

function asList(v: unknown): string[] {
  return v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String);
}
