import type { Change } from '../../diff/diff';
import { isTimedExpiry } from '../../util/dates';

type Fields = Record<string, { before: unknown; after: unknown }>;

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

function fieldList(fields: unknown): string {
  return Object.entries((fields ?? {}) as Fields)
    .map(([k, { before, after }]) => `${k} ${show(before)} → ${show(after)}`)
    .join('; ');
}

/** One change in plain words, without a leading sign. */
export function describeChange(c: Change): string {
  const s = (k: string): string => String(c[k]);
  switch (c.kind) {
    case 'group':
      if (c.action === 'added') return `group ${c.name} is created (${s('mode')})`;
      if (c.action === 'removed') return `group ${c.name} is deleted (${s('members')} active member${c.members === 1 ? '' : 's'})`;
      if (c.action === 'renamed') return `group ${s('from')} is renamed to ${c.name}`;
      return `group ${c.name}: ${fieldList(c.fields)}`;
    case 'member':
      if (c.expired === true) return pastEntry(c);
      if (c.action === 'added') return `${s('user')} joins ${s('group')}${c.expires ? ` until ${s('expires')}` : ''}${c.reason ? ` (${s('reason')})` : ''}`;
      if (c.action === 'removed') return `${s('user')} leaves ${s('group')}`;
      return `${s('user')} in ${s('group')}: ${fieldList(c.fields).replace(/^expires /, 'membership ends ').replace('(none)', 'never')}`;
    case 'owner':
      return c.action === 'added' ? `${s('user')} becomes an owner of ${s('group')}` : `${s('user')} is no longer an owner of ${s('group')}`;
    case 'app':
      if (c.pushed === true) return c.action === 'added' ? `${s('group')} is pushed to the AWS app ${s('app')}` : `${s('group')} is no longer pushed to ` +
          `the AWS app ${s('app')}`;
      return c.action === 'added' ? `${s('group')} is assigned to the app ${s('app')}` : `${s('group')} is no longer assigned to the app ${s('app')}`;
    case 'provisioning':
      return c.action === 'added'
        ? `${s('user')} joins ${s('assignmentGroup')}: SCIM creates their ${s('app')} user (first group pushed to AWS: ${(c.groups as string[]).join(', ')})`
        : `${s('user')} leaves ${s('assignmentGroup')}: SCIM deactivates their ${s('app')} user (no longer in a group pushed to AWS)`;
    case 'grant':
      return c.action === 'added'
        ? `${s('group')} is granted ${s('permissionSet')} on ${s('selector')} (${s('accounts')} account${c.accounts === 1 ? '' : 's'})`
        : `${s('group')} loses the grant of ${s('permissionSet')} on ${s('selector')}`;
    case 'selector': {
      const list = (xs: unknown, ys: unknown): string => ((xs as string[] | undefined) ?? (ys as string[])).join(', ');
      const parts = [
        ...((c.accountsAdded as string[]).length > 0 ? [`now also covers ${list(c.accountNamesAdded, c.accountsAdded)}`] : []),
        ...((c.accountsRemoved as string[]).length > 0 ? [`no longer covers ${list(c.accountNamesRemoved, c.accountsRemoved)}`] : []),
      ];
      const where = c.from !== undefined ? `${s('from')} (now ${s('selector')})` : s('selector');
      return `${s('group')}'s ${s('permissionSet')} on ${where} ${parts.join(' and ')}`;
    }
    case 'permission-set': {
      if (c.action === 'added') return `permission set ${c.name} is created`;
      if (c.action === 'removed') return `permission set ${c.name} is deleted`;
      if (c.action === 'renamed') return `permission set ${s('from')} is renamed to ${c.name} (AWS replaces it)`;
      const parts: string[] = [];
      if (c.fields) parts.push(fieldList(c.fields));
      for (const a of (c.policiesAdded as string[] | undefined) ?? []) parts.push(`+policy ${a}`);
      for (const a of (c.policiesRemoved as string[] | undefined) ?? []) parts.push(`-policy ${a}`);
      const inline = c.inlinePolicy as { statementsAdded: string[]; statementsRemoved: string[] } | undefined;
      if (inline) parts.push(`inline policy +${inline.statementsAdded.length}/-${inline.statementsRemoved.length} statements`);
      return `permission set ${c.name}: ${parts.join('; ')}`;
    }
    case 'account':
      if (c.action === 'added') return `account ${c.name} (${s('accountId')}) is added in ${s('ou')}`;
      if (c.action === 'removed') return `account ${c.name} (${s('accountId')}) is removed`;
      return `account ${c.name} (${s('accountId')}): ${fieldList(c.fields)}`;
    case 'policy':
      return `policy.yaml rules: ${Object.keys((c.fields ?? {}) as Fields).join(', ')} changed`;
    case 'waiver':
      if (c.action === 'added') return `waiver ${c.name} until ${s('expires')}: ${s('reason')}`;
      if (c.action === 'removed') return `waiver ${c.name} is withdrawn`;
      return `waiver ${c.name}: ${fieldList(c.fields)}`;
    case 'settings':
      return `settings: ${fieldList(c.fields)}`;
  }
}

/** A member entry written with an expires already past (Change.expired): it grants nothing, whatever the action says. */
function pastEntry(c: Change): string {
  const check = isTimedExpiry(String(c.expires)) ? '' : ' (check the year)';
  if (c.action === 'added') return `${String(c.user)} is added to ${String(c.group)} with expires ${String(c.expires)}, already past: no access is ` +
      `granted${check}`;
  if (c.action === 'removed') return `${String(c.user)}'s membership of ${String(c.group)} is set to end ${String(c.expires)}, already past: their access ` +
      `ends now${check}`;
  return `${String(c.user)} in ${String(c.group)}: expires ${fieldList(c.fields).replace(/^expires /, '')}, already past: no access is granted${check}`;
}

/** +, - or ~ by the action; ! for a member entry written already past, which grants nothing. */
export function changeSign(c: Change): string {
  if (c.kind === 'member' && c.expired === true) return '!';
  return c.action === 'added' ? '+' : c.action === 'removed' ? '-' : '~';
}
