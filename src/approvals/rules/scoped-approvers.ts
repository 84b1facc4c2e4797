import { cmp } from '../../diagnostics';
import type { AccessRow } from '../../model/access';
import { describeSelector, matchAccounts } from '../../model/selectors';
import type { AccessModel, AccountSelector } from '../../model/types';
import { accountSelectorSchema } from '../../schema/group';
import { permissionSetName } from '../../schema/common';
import { resolveApprovers } from '../approvers';
import type { ChangeFacts } from '../facts';
import { defineApprovalRule, type OptionProblem, type Requirement } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    scopes: {
      type: 'array',
      title: 'scopes: accounts and/or permission sets, with their approvers',
      description: 'a change that touches a scope (access granted or removed on one of its accounts with one of its permission sets, a change to one of ' +
          'its permission sets or accounts) needs `count` approvals from its approvers; a change touching several scopes needs each',
      minItems: 1,
      items: {
        type: 'object',
        title: 'scope',
        additionalProperties: false,
        required: ['name', 'approvers'],
        properties: {
          name: {
            type: 'string',
            title: 'scope name',
            description: 'names the requirement: "an approver for production"',
            minLength: 1,
            maxLength: 64,
            pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$',
          },
          accounts: {
            ...accountSelectorSchema,
            title: 'accounts',
            description: 'accounts by name or id, or by ou and/or tags as group grants select them; without it every account',
          },
          permissionSets: {
            type: 'array',
            title: 'permission sets',
            description: 'permission sets by name; without it every permission set',
            minItems: 1,
            uniqueItems: true,
            items: permissionSetName,
          },
          approvers: {
            type: 'array',
            title: 'approvers',
            description: 'people (Okta logins of people.yaml) or teams (@org/slug)',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'string', title: 'approver', minLength: 1, maxLength: 256 },
          },
          count: { type: 'integer', title: 'distinct approvals', description: 'how many of the approvers must approve (default 1)', minimum: 1, maximum: 5 },
        },
      },
    },
  },
} as const;

export interface Scope {
  readonly name: string;
  readonly accounts?: readonly string[] | { readonly ou?: string; readonly tags?: Readonly<Record<string, string>> };
  readonly permissionSets?: readonly string[];
  readonly approvers: readonly string[];
  readonly count?: number;
}

const selectorOf = (accounts: NonNullable<Scope['accounts']>): AccountSelector =>
  Array.isArray(accounts)
    ? { kind: 'list', refs: accounts }
    : {
      kind: 'match',
      ...((accounts as { ou?: string }).ou !== undefined ? { ou: (accounts as { ou: string }).ou } : {}),
      ...((accounts as { tags?: Record<string, string> }).tags !== undefined ? { tags: (accounts as { tags: Record<string, string> }).tags } : {}),
    };

/** The ids of the accounts a scope names, in any of `models` (undefined: every account). */
function scopeAccounts(scope: Scope, models: readonly AccessModel[]): Set<string> | undefined {
  if (scope.accounts === undefined) return undefined;
  const selector = selectorOf(scope.accounts);
  const ids = new Set<string>();
  for (const m of models) {
    if (selector.kind === 'list') {
      for (const ref of selector.refs) for (const a of m.accounts) if (a.name === ref || a.id === ref) ids.add(a.id);
    } else {
      for (const id of matchAccounts(selector, m.accounts)) ids.add(id);
    }
  }
  return ids;
}

/** "a, b, c" or "a, b, c and 4 more". */
const few = (xs: readonly string[]): string => xs.slice(0, 3).join(', ') + (xs.length > 3 ? ` and ${xs.length - 3} more` : '');

/** In words, what the change does within the scope; empty when it does not touch it. */
export function scopeTouches(scope: Scope, facts: ChangeFacts): string[] {
  // Accounts by the base and the head: an account tagged into or out of the scope is in it.
  const ids = scopeAccounts(scope, [facts.base, facts.head]);
  const sets = scope.permissionSets === undefined ? undefined : new Set(scope.permissionSets);
  const inScope = (accountId: string, ps: string): boolean => (ids === undefined || ids.has(accountId)) && (sets === undefined || sets.has(ps));
  const names = new Map([...facts.base.accounts, ...facts.head.accounts].map((a) => [a.id, a.name]));
  const out: string[] = [];
  const pairs = (rows: readonly AccessRow[]): string[] => [
    ...new Set(rows.filter((r) => inScope(r.accountId, r.permissionSet)).map((r) => `${r.permissionSet} on ${r.account}`)),
  ].sort(cmp);
  // Grants as every rule reads them: new rows, rows that last longer, rows of a permission set that widens.
  const granted = pairs(facts.grants);
  const removed = pairs(facts.diff.removed);
  if (granted.length > 0) out.push(`grants ${few(granted)}`);
  if (removed.length > 0) out.push(`removes ${few(removed)}`);
  // Group assignments too: an additive group's members Okta adds are in no file, and a group without members still gets the assignment.
  const seen = new Set([...granted, ...removed]);
  const assignments = (m: AccessModel): Map<string, { group: string; pair: string }> =>
    new Map(m.assignments.filter((a) => inScope(a.accountId, a.permissionSet)).map((a) => [a.key, { group: a.group, pair: `${a.permissionSet} on ` +
        `${names.get(a.accountId) ?? a.accountId}` }]));
  const before = assignments(facts.base);
  const after = assignments(facts.head);
  const assigned = [...after].filter(([k, a]) => !before.has(k) && !seen.has(a.pair)).map(([, a]) => `${a.pair} to ${a.group}`).sort(cmp);
  const unassigned = [...before].filter(([k, a]) => !after.has(k) && !seen.has(a.pair)).map(([, a]) => `${a.pair} from ${a.group}`).sort(cmp);
  if (assigned.length > 0) out.push(`assigns ${few(assigned)}`);
  if (unassigned.length > 0) out.push(`unassigns ${few(unassigned)}`);
  // Permission sets of the scope (assigned on its accounts, when it names accounts), and its accounts.
  const assignedOnScope = new Set(
    [...facts.base.assignments, ...facts.head.assignments].filter((a) => ids === undefined || ids.has(a.accountId)).map((a) => a.permissionSet),
  );
  const setInScope = (name: string): boolean => (sets === undefined || sets.has(name)) && (ids === undefined || assignedOnScope.has(name));
  for (const c of facts.diff.changes) {
    if (c.kind === 'permission-set' && (setInScope(c.name) || (typeof c.from === 'string' && setInScope(c.from)))) out.push(`${c.action === 'added'
      ? 'adds'
      : c.action === 'removed' ? 'removes' : c.action === 'renamed' ? 'renames' : 'changes'} ` +
        `permission set ${c.name}`);
    if (c.kind === 'account' && ids !== undefined && typeof c.accountId === 'string' && ids.has(c.accountId)) out.push(`${c.action === 'added' ? 'adds' : c.action === 'removed' ? 'removes' : 'changes'} ` +
        `account ${c.name}`);
  }
  return [...new Set(out)];
}

const scopesOf = (options: { scopes?: readonly Scope[] }): readonly Scope[] => options.scopes ?? [];

export default defineApprovalRule<{ scopes: readonly Scope[] }>({
  id: 'scoped-approvers',
  title: 'named approvers for accounts and permission sets',
  onByDefault: false,
  rationale:
    'Whoever runs an account, or answers for a permission set, should see who gets it: the security team for production, the sandbox owners for the ' +
        'sandbox. Each scope names accounts (by name or id, or by ou and tags as group grants select them) and/or permission sets, and approvers; a ' +
        'change that grants (or extends) or removes access on one of its accounts with one of its permission sets, assigns one there to a group, or ' +
        'changes one of its permission sets or accounts needs `count` approvals from that scope\'s approvers. A scope with only accounts covers every ' +
        'permission set on them, and one with only permission sets every account. A change touching several scopes needs each. Accounts are matched in ' +
        'the base and the head, so an account tagged into or out of a scope is in it.',
  remediation: 'Ask the approvers of each scope listed (policy.yaml approvals.scoped-approvers) to approve at the latest commit.',
  options: OPTIONS,
  defaults: { scopes: [] },
  references: (options) =>
    scopesOf(options).flatMap((s, i) => [
      ...(Array.isArray(s.accounts) ? (s.accounts as readonly string[]).map(
        (a, j) => ({ kind: 'account' as const, value: a, path: ['scopes', i, 'accounts', j] }),
      ) : []),
      ...(s.permissionSets ?? []).map((p, j) => ({ kind: 'permission-set' as const, value: p, path: ['scopes', i, 'permissionSets', j] })),
      ...s.approvers.map((a, j) => ({ kind: 'approver' as const, value: a, path: ['scopes', i, 'approvers', j] })),
    ]),
  problems(options, model) {
    const out: OptionProblem[] = [];
    const names = new Map<string, number>();
    scopesOf(options).forEach((s, i) => {
      if (s.accounts === undefined && s.permissionSets === undefined) {
        out.push({ code: 'ACC135', path: ['scopes', i], message: `scope "${s.name}" names neither accounts nor permissionSets, so it would cover every ` +
            `change`, hint: 'add accounts and/or permissionSets' });
      }
      const first = names.get(s.name);
      if (first !== undefined) out.push({
        code: 'ACC135',
        path: ['scopes', i, 'name'],
        message: `scope name "${s.name}" is used by scope ${first + 1} too`,
        hint: 'give each scope a name of its own',
      });
      else names.set(s.name, i);
      if (s.accounts !== undefined && !Array.isArray(s.accounts)) {
        const selector = selectorOf(s.accounts);
        if (selector.kind === 'match' && model.accounts.length > 0 && matchAccounts(selector, model.accounts).length === 0) {
          out.push({ code: 'ACC132', path: ['scopes', i, 'accounts'], message: `scope "${s.name}": account selector ${describeSelector(selector)} matches ` +
              `no account`, hint: 'check the OU glob and tags against accounts.yaml' });
        }
      }
      const count = s.count ?? 1;
      if (!s.approvers.some((a) => a.startsWith('@')) && count > s.approvers.length) {
        out.push({ code: 'ACC135', path: ['scopes', i, 'count'], message: `scope "${s.name}" asks for ${count} approvals from ${s.approvers.length} ` +
            `${s.approvers.length === 1 ? 'person' : 'people'}: it could never be met`, hint: 'lower count, or name more approvers or a team' });
      }
    });
    return out;
  },
  requirements(facts, options) {
    const out: Requirement[] = [];
    for (const s of scopesOf(options)) {
      const touches = scopeTouches(s, facts);
      if (touches.length === 0) continue;
      const { users, teams } = resolveApprovers(s.approvers, facts.base);
      const count = s.count ?? 1;
      const names = [...users.map((u) => `@${u}`), ...teams].join(', ');
      const shown = touches.slice(0, 3).join('; ') + (touches.length > 3 ? '; …' : '');
      out.push({
        rule: 'scoped-approvers',
        subject: s.name,
        who: `${count === 1 ? 'an approver' : `${count} approvers`} for ${s.name} (${names})`,
        why: `the change ${shown}`,
        users,
        teams,
        count,
      });
    }
    return out;
  },
});
