import type { AccessRow } from '../../model/access';
import type { RevisionDiff } from '../../diff/revisions';
import { changeSign, describeChange } from './words';

/** The diff for terminals and CI logs: headline, risks, access by person and by account, changes. */
export function formatDiffText(d: RevisionDiff): string {
  const { added, removed, changes, risks } = d.diff;
  const lines: string[] = [];
  lines.push(`access diff ${revision(d.base)} -> ${revision(d.head)}: +${added.length} / -${removed.length} access, ${changes.length} ` +
      `change${changes.length === 1 ? '' : 's'}`);
  if (d.base.model === undefined && d.base.diagnostics.length > 0) lines.push(`note: the base has errors, so every access in the head is listed as added`);
  for (const r of risks) lines.push(`  ! ${r.flag}: ${r.message}`);
  const byPerson = (title: string, sign: string, rows: readonly AccessRow[]): void => {
    if (rows.length === 0) return;
    lines.push(`${title}:`);
    let user = '';
    for (const r of rows) {
      if (r.user !== user) lines.push(`  ${(user = r.user)}`);
      lines.push(`    ${sign} ${r.account} (${r.accountId}) ${r.permissionSet} via ${r.via.join(', ')}${r.expires ? ` until ${r.expires}` : ''}`);
    }
  };
  byPerson('access added', '+', added);
  byPerson('access removed', '-', removed);
  const accounts = byAccount(added, removed);
  if (accounts.length > 0) {
    lines.push('by account:');
    for (const a of accounts) lines.push(`  ${a.account} (${a.accountId}): +${a.added} / -${a.removed}`);
  }
  if (changes.length > 0) {
    lines.push('changes:');
    for (const c of changes) lines.push(`  ${changeSign(c)} ${describeChange(c)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function revision(r: { label: string; commit?: string }): string {
  return r.commit ? `${r.label} (${r.commit.slice(0, 12)})` : r.label;
}

export function byAccount(
  added: readonly AccessRow[],
  removed: readonly AccessRow[],
): Array<{ account: string; accountId: string; added: number; removed: number }> {
  const map = new Map<string, { account: string; accountId: string; added: number; removed: number }>();
  const get = (r: AccessRow) => {
    const e = map.get(r.accountId) ?? { account: r.account, accountId: r.accountId, added: 0, removed: 0 };
    map.set(r.accountId, e);
    return e;
  };
  for (const r of added) get(r).added++;
  for (const r of removed) get(r).removed++;
  return [...map.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}
