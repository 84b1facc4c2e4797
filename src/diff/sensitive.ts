// Sensitive actions gained or lost (issue 27): for every (person, account)
// a change touches, the sensitive patterns their permission sets there allow
// before and after, and so who gains or loses which of them where. Only the
// rows the diff found added or removed, and the rows of permission sets whose
// policies changed, are looked at; each permission set is evaluated at most
// once per model (SensitiveIndex).

import { expandActions } from '../aws/action-catalogue';
import { cmp } from '../diagnostics';
import { SensitiveIndex, sensitivePatterns, type HeldDecision, type SensitiveHit } from '../iam/sensitive';
import { policiesOf } from '../iam/permission-set';
import { effectiveAccess, isActive, type AccessRow } from '../model/access';
import { foldLogin } from '../model/logins';
import type { AccessModel } from '../model/types';
import { canonicalJson } from './diff';

/** People who gain (or lose) a sensitive pattern on an account. */
export interface SensitiveChange {
  readonly pattern: string;
  readonly account: string;
  readonly accountId: string;
  readonly change: 'gained' | 'lost';
  /** The pattern's actions gained (lost) by at least one of the people, sorted. */
  readonly actions: readonly string[];
  /** How many actions the pattern names in the catalogue. */
  readonly total: number;
  /** The strongest answer among the people: after the change for a gain, before it for a loss. */
  readonly decision: HeldDecision;
  /** Sorted, as the access rows spell them. */
  readonly people: readonly string[];
}

/** What one person holds of one pattern on one account: the actions and the strongest answer. */
interface Held {
  readonly actions: Set<string>;
  decision: HeldDecision;
}

const RANK: Record<HeldDecision, number> = { allowed: 0, conditional: 1, unknown: 2 };

/**
 * The patterns both revisions are judged by: the head's policy.yaml
 * sensitiveActions, then any the base's names and the head's does not. A
 * change that shrinks the list in the same pull request cannot hide what it
 * grants: the base's patterns still count.
 */
export function diffPatterns(base: AccessModel | undefined, head: AccessModel): string[] {
  const out = [...sensitivePatterns(head)];
  for (const p of base ? sensitivePatterns(base) : []) if (!out.includes(p)) out.push(p);
  return out;
}

/**
 * The sensitive actions gained and lost between two models, given the rows
 * diffModels found added and removed. Sorted by account name, pattern (in
 * list order), gains before losses.
 */
export function sensitiveChanges(
  base: AccessModel | undefined,
  head: AccessModel,
  today: string,
  added: readonly AccessRow[],
  removed: readonly AccessRow[],
): SensitiveChange[] {
  const patterns = diffPatterns(base, head);
  const baseIndex = base ? new SensitiveIndex(base, patterns) : undefined;
  const headIndex = new SensitiveIndex(head, patterns);
  const changed = base ? changedPolicies(base, head) : new Set<string>();
  // Each (person, account) a change touches, with a row of it for the names.
  const pairs = new Map<string, AccessRow>();
  const touch = (r: AccessRow): void => {
    if (!pairs.has(pairKey(r))) pairs.set(pairKey(r), r);
  };
  for (const r of [...added, ...removed]) touch(r);
  if (changed.size > 0) for (const m of [head, base!]) for (const r of effectiveAccess(m, today, { permissionSets: changed })) touch(r);
  if (pairs.size === 0) return [];
  // A permission set whose policies are the same in both is evaluated once, in the head.
  const headNames = new Set(head.permissionSets.map((p) => p.name));
  const baseHits = (ps: string): readonly SensitiveHit[] => (headNames.has(ps) && !changed.has(ps) ? headIndex : baseIndex!).of(ps);
  const before = base ? heldByPair(base, baseHits, today, pairs) : new Map<string, Map<string, Held>>();
  const after = heldByPair(head, (ps) => headIndex.of(ps), today, pairs);
  const total = new Map(patterns.map((p) => [p, expandActions(p).length]));
  const out = new Map<string, Draft>();
  for (const [pair, row] of pairs) {
    const b = before.get(pair) ?? new Map<string, Held>();
    const a = after.get(pair) ?? new Map<string, Held>();
    for (const pattern of patterns) {
      note(out, row, pattern, 'gained', gain(b.get(pattern), a.get(pattern), true), total.get(pattern)!);
      note(out, row, pattern, 'lost', gain(a.get(pattern), b.get(pattern), false), total.get(pattern)!);
    }
  }
  const order = new Map(patterns.map((p, i) => [p, i]));
  return [...out.values()]
    .map((d) => ({ ...d, actions: [...d.actions].sort(cmp), people: [...d.people].sort(cmp) }))
    .sort((x, y) => cmp(x.account, y.account) || cmp(x.accountId, y.accountId) || order.get(x.pattern)! - order.get(y.pattern)! ||
        (x.change === y.change ? 0 : x.change === 'gained' ? -1 : 1));
}

type Draft = Omit<SensitiveChange, 'actions' | 'people'> & { actions: Set<string>; people: Set<string>; decision: HeldDecision };

function pairKey(r: AccessRow): string {
  return `${foldLogin(r.user)}|${r.accountId}`;
}

/** Permission sets of both models, by name, whose policies (managed, inline, customer managed, boundary) differ. */
function changedPolicies(base: AccessModel, head: AccessModel): Set<string> {
  const before = new Map(base.permissionSets.map((p) => [p.name, canonicalJson(policiesOf(p))]));
  const out = new Set<string>();
  for (const p of head.permissionSets) {
    const b = before.get(p.name);
    if (b !== undefined && b !== canonicalJson(policiesOf(p))) out.add(p.name);
  }
  return out;
}

/** Per (person, account) pair: the union of what the permission sets the person holds there allow, pattern by pattern. */
function heldByPair(
  model: AccessModel,
  hitsOf: (permissionSet: string) => readonly SensitiveHit[],
  today: string,
  pairs: ReadonlyMap<string, AccessRow>,
): Map<string, Map<string, Held>> {
  const out = new Map<string, Map<string, Held>>();
  for (const [pair, sets] of permissionSetsByPair(model, today, pairs)) {
    const held = new Map<string, Held>();
    out.set(pair, held);
    for (const hit of [...sets].flatMap(hitsOf)) {
      const h = held.get(hit.pattern);
      if (!h) held.set(hit.pattern, { actions: new Set(hit.actions), decision: hit.decision });
      else {
        for (const a of hit.actions) h.actions.add(a);
        if (RANK[hit.decision] < RANK[h.decision]) h.decision = hit.decision;
      }
    }
  }
  return out;
}

/**
 * The permission sets each pair's person holds on its account through active
 * memberships, found from the people's groups: a few of 10^5 assignments, not
 * every member of every group checked against the pairs.
 */
function permissionSetsByPair(model: AccessModel, today: string, pairs: ReadonlyMap<string, AccessRow>): Map<string, Set<string>> {
  const accountsOf = new Map<string, Set<string>>();
  for (const p of pairs.keys()) {
    const bar = p.lastIndexOf('|');
    const user = p.slice(0, bar);
    const set = accountsOf.get(user) ?? new Set<string>();
    accountsOf.set(user, set.add(p.slice(bar + 1)));
  }
  const byGroup = new Map<string, Array<{ accountId: string; permissionSet: string }>>();
  for (const a of model.assignments) {
    const list = byGroup.get(a.group);
    if (list) list.push(a);
    else byGroup.set(a.group, [a]);
  }
  const out = new Map<string, Set<string>>();
  for (const g of model.groups) {
    for (const m of g.members) {
      const accounts = accountsOf.get(m.key);
      if (!accounts || !isActive(m, today)) continue;
      for (const a of byGroup.get(g.name) ?? []) {
        if (!accounts.has(a.accountId)) continue;
        const k = `${m.key}|${a.accountId}`;
        out.set(k, (out.get(k) ?? new Set<string>()).add(a.permissionSet));
      }
    }
  }
  return out;
}

/**
 * What `to` holds that `from` does not: the actions new in it, or, with
 * `stronger`, when there are none but its answer is stronger (conditional
 * before, allowed now), all of its actions. A condition added takes no action
 * away, so it is no loss. Undefined when nothing is gained.
 */
function gain(from: Held | undefined, to: Held | undefined, stronger: boolean): { actions: string[]; decision: HeldDecision } | undefined {
  if (!to) return undefined;
  const fresh = [...to.actions].filter((a) => !from?.actions.has(a));
  if (fresh.length > 0) return { actions: fresh, decision: to.decision };
  if (stronger && from && RANK[to.decision] < RANK[from.decision]) return { actions: [...to.actions], decision: to.decision };
  return undefined;
}

function note(
  out: Map<string, Draft>,
  row: AccessRow,
  pattern: string,
  change: 'gained' | 'lost',
  g: { actions: string[]; decision: HeldDecision } | undefined,
  total: number,
): void {
  if (!g) return;
  const k = `${pattern}|${row.accountId}|${change}`;
  let d = out.get(k);
  if (!d) {
    d = { pattern, account: row.account, accountId: row.accountId, change, actions: new Set(), total, decision: g.decision, people: new Set() };
    out.set(k, d);
  }
  for (const a of g.actions) d.actions.add(a);
  d.people.add(row.user);
  if (RANK[g.decision] < RANK[d.decision]) d.decision = g.decision;
}

/** How a SensitiveChange is put in words: `code` for the pattern, `text` for names from the files. */
export interface SensitiveWordsFormat {
  readonly code: (s: string) => string;
  readonly text: (s: string) => string;
}

const PLAIN: SensitiveWordsFormat = { code: (s) => s, text: (s) => s };

/**
 * "+3 people can iam:PassRole on payments-prod (alice@…, bob@…, carol@…)",
 * "-1 person can no longer iam:Create* (2 of 40 actions, conditional) on …",
 * naming at most `maxNames` people ("…, and 1,234 more"; none at 0).
 */
export function sensitiveWords(c: SensitiveChange, maxNames = 10, f: SensitiveWordsFormat = PLAIN): string {
  const n = c.people.length;
  const who = `${c.change === 'gained' ? '+' : '-'}${count(n)} ${n === 1 ? 'person' : 'people'} can${c.change === 'lost' ? ' no longer' : ''}`;
  const parts = [
    ...(c.actions.length < c.total && c.total > 1 ? [`${count(c.actions.length)} of ${count(c.total)} actions`] : []),
    ...(c.decision === 'allowed' ? [] : [c.decision]),
  ];
  const what = `${f.code(c.pattern)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
  const shown = c.people.slice(0, Math.max(maxNames, 0)).map(f.text);
  const more = n - shown.length;
  const names = shown.length === 0 ? '' : ` (${shown.join(', ')}${more > 0 ? `, and ${count(more)} more` : ''})`;
  return `${who} ${what} on ${f.text(c.account)}${names}`;
}

/** 1234 as "1,234". */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
