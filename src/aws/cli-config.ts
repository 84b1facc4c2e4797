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

/**
 * A section header as the AWS CLI writes and reads it: the CLI splits the
 * text between the brackets like a shell (botocore uses shlex.split) and
 * ignores a profile whose name splits into more than one word, so a name with
 * a space (account names may have one) is single-quoted, as `aws configure`
 * does. Account and permission set names cannot contain quotes.
 */
export function sectionHeader(kind: 'profile' | 'sso-session', name: string): string {
  return `[${kind} ${/\s/.test(name) ? `'${name}'` : name}]`;
}

/**
 * The identity the AWS CLI gives a section header's text: "profile NAME",
 * "sso-session NAME", or the text itself for any other section. Quoting and
 * spacing do not matter: [profile 'a b'], [profile "a b"] are one profile.
 */
export function sectionKey(header: string): string {
  const words = shellWords(header);
  if (words !== undefined && words.length === 2 && (words[0] === 'profile' || words[0] === 'sso-session')) return `${words[0]} ${words[1]}`;
  return header.trim();
}

/** Splits like a POSIX shell: whitespace, '…', "…" and backslash escapes; undefined on an unclosed quote. */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return undefined;
      word = (word ?? '') + text.slice(i + 1, close);
      i = close;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The managed block, without a trailing newline. */
export function configBlock(c: CliConfigInput): string {
  const lines = [
    beginMarker(c.session),
    `# ${c.user}: ${c.rows.length} profile${c.rows.length === 1 ? '' : 's'}. Sign in with: aws sso login --sso-session ${c.session}`,
    sectionHeader('sso-session', c.session),
    `sso_start_url = ${c.startUrl}`,
    `sso_region = ${c.ssoRegion}`,
    'sso_registration_scopes = sso:account:access',
  ];
  const rows = [...c.rows].sort(
    (a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.permissionSet < b.permissionSet ? -1 : a.permissionSet > b.permissionSet ? 1 : 0),
  );
  for (const r of rows) {
    lines.push(
      '',
      `# via ${r.via.join(', ')}${r.expires !== undefined ? `; until ${r.expires}` : ''}`,
      sectionHeader('profile', profileName(r)),
      `sso_session = ${c.session}`,
      `sso_account_id = ${r.accountId}`,
      `sso_role_name = ${r.permissionSet}`,
      `region = ${c.region}`,
    );
  }
  lines.push(endMarker(c.session));
  return lines.join('\n');
}

/** The sections a text defines: the AWS CLI's identity of each (see sectionKey) and its 1-based line. */
export function sections(text: string): Array<{ key: string; line: number }> {
  const out: Array<{ key: string; line: number }> = [];
  text.split(/\r?\n/).forEach((l, i) => {
    // Python's configparser: a stripped line starting with "[" and ending at its last "]".
    const header = /^\[(.+)\]/.exec(l.trim())?.[1];
    if (header !== undefined) out.push({ key: sectionKey(header), line: i + 1 });
  });
  return out;
}

/** A problem with the existing file at a 1-based line. */
export interface MergeError {
  readonly line: number;
  readonly message: string;
}

export type MergeResult = { text: string; replaced: boolean } | { errors: MergeError[] };

/**
 * Puts the block into an existing config: in place of the previous block of
 * the same session, or appended. Refuses when a section it defines is also
 * defined outside the block (the AWS CLI would refuse to parse the file, or
 * let one silently win), and when the marker lines are broken.
 */
export function mergeConfig(existing: string, block: string, session: string): MergeResult {
  const nl = existing.includes('\r\n') ? '\r\n' : '\n';
  const lines = existing === '' ? [] : existing.split(/\r?\n/);
  const opening = `# >>> accessctl ${session}`;
  const closing = endMarker(session);
  const isBegin = (l: string): boolean => l.trimEnd() === opening || l.startsWith(`${opening} `);
  const isEnd = (l: string): boolean => l.trim() === closing;
  const begin = lines.findIndex(isBegin);
  const end = lines.findIndex((l, i) => i > begin && isEnd(l));
  if (begin >= 0 && end < 0) return { errors: [{ line: begin + 1, message: `"${opening}" opens the accessctl block but no "${closing}" line follows: fix ` +
      `or remove the block by hand` }] };
  if (begin < 0 && end >= 0) return { errors: [{ line: end + 1, message: `"${closing}" closes an accessctl block that no "${opening}" line opens: fix or ` +
      `remove it by hand` }] };
  const second = begin >= 0 ? lines.findIndex((l, i) => i > end && (isBegin(l) || isEnd(l))) : -1;
  if (second >= 0) return { errors: [{ line: second + 1, message: `a second accessctl ${session} block (the first is on lines ${begin + 1}-${end + 1}): ` +
      `keep one by hand` }] };
  const ours = new Set(sections(block).map((s) => s.key));
  const clash = sections(existing).filter((s) => (begin < 0 || s.line < begin + 1 || s.line > end + 1) && ours.has(s.key));
  if (clash.length > 0) {
    return {
      errors: clash.map((s) => ({
        line: s.line,
        message: `[${s.key}] is already defined outside the accessctl block: rename or remove ` +
            `it${s.key.startsWith('sso-session ') ? ', or name the session accessctl writes with --session NAME' : ''}`,
      })),
    };
  }
  const blockLines = block.split('\n');
  if (begin >= 0) {
    const next = [...lines.slice(0, begin), ...blockLines, ...lines.slice(end + 1)];
    return { text: next.join(nl), replaced: true };
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const next = lines.length > 0 ? [...lines, '', ...blockLines, ''] : [...blockLines, ''];
  return { text: next.join(nl), replaced: false };
}
