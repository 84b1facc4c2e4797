/**
 * Step 2: accounts.yaml and accounts/*.yaml, and the account selectors that
 * group grants and AWS stack shards write (a list of names and ids, or an
 * OU and tags to match).
 */
import { diag, cmp, type Diagnostic } from '../../diagnostics';
import type { YamlFile } from '../../load/parse';
import type { AccountSelectorEntry } from '../../schema/group';
import { didYouMean } from '../../util/suggest';
import type { Partial } from './input';
import { describeSelector, matchAccounts } from '../selectors';
import type { Account, AccountSelector } from '../types';
import { at, shadowed, sortByFile, where, type ResolveContext } from './context';

/** The accounts, sorted by name, and how selectors find them. */
export interface AccountIndex {
  readonly accounts: Account[];
  readonly byName: Map<string, Account>;
  /** In declaration order (file by file): the candidates of "did you mean" for an unknown id. */
  readonly byId: Map<string, Account>;
  /** Account files that failed validation: their names are not reported as unknown. */
  readonly broken: Partial;
}

/** Every account once, refusing a name or id declared twice (ACC032, ACC033). */
export function resolveAccounts(ctx: ResolveContext): AccountIndex {
  const accounts: Account[] = [];
  const byName = new Map<string, Account>();
  const byId = new Map<string, Account>();
  for (const { file, data } of sortByFile(ctx.input.accounts)) {
    data.accounts.forEach((a, i) => {
      const source = at(file, ['accounts', i]);
      const account: Account = {
        name: a.name,
        id: a.id,
        ou: a.ou,
        tags: { ...(a.tags ?? {}) },
        source,
        ...(a.description !== undefined ? { description: a.description } : {}),
      };
      const sameName = byName.get(a.name);
      const sameId = byId.get(a.id);
      if (sameName) {
        ctx.out.push(diag('ACC032', at(file, ['accounts', i, 'name']), `account name "${a.name}" is already declared at ${where(sameName.source)}`));
      }
      if (sameId) {
        ctx.out.push(diag('ACC033', at(file, ['accounts', i, 'id']),
          `account id "${a.id}" is already declared at ${where(sameId.source)} (as "${sameId.name}")`));
      }
      if (sameName || sameId) return;
      byName.set(a.name, account);
      byId.set(a.id, account);
      accounts.push(account);
    });
  }
  accounts.sort((a, b) => cmp(a.name, b.name));
  return { accounts, byName, byId, broken: ctx.input.broken.accounts };
}

/**
 * Resolves a list or ou/tags selector at `path` in `file` to account ids,
 * reporting unknown names (ACC041) and selectors that match nothing (ACC044) to `sink`.
 */
export function resolveAccountSelector(
  index: AccountIndex,
  entry: AccountSelectorEntry,
  file: YamlFile,
  path: ReadonlyArray<string | number>,
  sink: Diagnostic[],
): { selector: AccountSelector; accountIds: string[] } {
  const ids = new Set<string>();
  let selector: AccountSelector;
  if (Array.isArray(entry)) {
    selector = { kind: 'list', refs: [...entry] };
    entry.forEach((ref, j) => {
      const byId = /^[0-9]{12}$/.test(ref);
      const account = byId ? index.byId.get(ref) : index.byName.get(ref);
      if (account) ids.add(account.id);
      else if (!shadowed(index.broken, ref)) {
        const candidates = byId ? [...index.byId.keys()] : index.accounts.map((a) => a.name);
        sink.push(diag('ACC041', at(file, [...path, j]), `unknown ${byId ? 'account id' : 'account'} "${ref}"${didYouMean(ref, candidates)}`));
      }
    });
  } else {
    const sel = entry as { ou?: string; tags?: Record<string, string> };
    selector = { kind: 'match', ...(sel.ou !== undefined ? { ou: sel.ou } : {}), ...(sel.tags !== undefined ? { tags: { ...sel.tags } } : {}) };
    const matched = matchAccounts(selector, index.accounts);
    matched.forEach((id) => ids.add(id));
    if (matched.length === 0 && !index.broken.all && index.broken.names.size === 0) {
      sink.push(diag('ACC044', at(file, path), `account selector ${describeSelector(selector)} matches no account`,
        'check the OU path and tags against accounts.yaml'));
    }
  }
  return { selector, accountIds: [...ids].sort(cmp) };
}
