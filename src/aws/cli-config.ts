// The AWS CLI v2 configuration for one person: an sso-session and one
// profile per (account, permission set) they can reach, kept between marker
// lines so that a re-run replaces exactly what the previous run wrote.
import type { AccessRow } from '../model/access';

export interface CliConfigInput {
  readonly session: string;
  readonly startUrl: string;
  readonly ssoRegion: string;
  readonly region: string;
  readonly user: string;
  readonly rows: readonly AccessRow[];
}

export const beginMarker = (session: string): string => `# >>> accessctl ${session} (written by accessctl aws-config; edits between these lines are replaced)`;
export const endMarker = (session: string): string => `# <<< accessctl ${session}`;

/** The profile name of a row: <account>.<permission set>. */
export function profileName(row: AccessRow): string {
  return `${row.account}.${row.permissionSet}`;
}

/** The managed block, without a trailing newline. */
export function configBlock(c: CliConfigInput): string {
  const lines = [
    beginMarker(c.session),
    `# ${c.user}: ${c.rows.length} profile${c.rows.length === 1 ? '' : 's'}. Sign in with: aws sso login --sso-session ${c.session}`,
    `[sso-session ${c.session}]`,
    `sso_start_url = ${c.startUrl}`,
    `sso_region = ${c.ssoRegion}`,
    'sso_registration_scopes = sso:account:access',
  ];
  const rows = [...c.rows].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.permissionSet < b.permissionSet ? -1 : a.permissionSet > b.permissionSet ? 1 : 0));
  for (const r of rows) {
    lines.push(
      '',
      `# via ${r.via.join(', ')}${r.expires !== undefined ? `; until ${r.expires}` : ''}`,
      `[profile ${profileName(r)}]`,
      `sso_session = ${c.session}`,
      `sso_account_id = ${r.accountId}`,
      `sso_role_name = ${r.permissionSet}`,
      `region = ${c.region}`,
    );
  }
  lines.push(endMarker(c.session));
  return lines.join('\n');
}

/** The section names a block defines ("profile x", "sso-session y"). */
export function sectionNames(text: string): string[] {
  return text.split(/\r?\n/).map((l) => /^\s*\[([^\]]+)\]\s*$/.exec(l)?.[1]?.trim().replace(/\s+/g, ' ')).filter((s): s is string => s !== undefined);
}

export type MergeResult = { text: string; replaced: boolean } | { error: string };

/**
 * Puts the block into an existing config: in place of the previous block of
 * the same session, or appended. Refuses when a section it defines is also
 * defined outside the block (the CLI would see two).
 */
export function mergeConfig(existing: string, block: string, session: string): MergeResult {
  const nl = existing.includes('\r\n') ? '\r\n' : '\n';
  const lines = existing === '' ? [] : existing.split(/\r?\n/);
  const begin = lines.findIndex((l) => l.startsWith(`# >>> accessctl ${session} `) || l === `# >>> accessctl ${session}`);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === endMarker(session));
  if (begin >= 0 && end < 0) return { error: `the file has the line "# >>> accessctl ${session}" but not "${endMarker(session)}" after it: fix or remove the block by hand` };
  if (begin < 0 && lines.some((l) => l.trim() === endMarker(session))) return { error: `the file has "${endMarker(session)}" without its opening line: fix or remove it by hand` };
  const outside = begin >= 0 ? [...lines.slice(0, begin), ...lines.slice(end + 1)] : lines;
  const ours = new Set(sectionNames(block));
  const clash = sectionNames(outside.join('\n')).filter((s) => ours.has(s));
  if (clash.length > 0) return { error: `already defined outside the accessctl block: ${clash.map((s) => `[${s}]`).join(', ')}; rename or remove them first` };
  const blockLines = block.split('\n');
  if (begin >= 0) {
    const next = [...lines.slice(0, begin), ...blockLines, ...lines.slice(end + 1)];
    return { text: next.join(nl), replaced: true };
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const next = lines.length > 0 ? [...lines, '', ...blockLines, ''] : [...blockLines, ''];
  return { text: next.join(nl), replaced: false };
}
