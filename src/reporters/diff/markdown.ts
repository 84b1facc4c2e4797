import type { AccessRow } from '../../model/access';
import type { RevisionDiff } from '../../diff/revisions';
import { COMMENT_MARKER } from '../../github/sticky-comment';
import { sensitiveBudget, sensitiveMarkdown } from './sensitive';
import { byAccount, revision } from './text';
import { changeSign, describeChange } from './words';

/** GitHub rejects a comment over 65,536 characters; the plan summary shares the comment, so the diff keeps well under. */
export const DIFF_MARKDOWN_LIMIT = 60_000;

/**
 * The PR comment: a headline, risk flags, who gains and loses what, and
 * collapsed details. When it would be too long, tables are cut to fewer rows
 * and say how many were left out.
 */
export function formatDiffMarkdown(d: RevisionDiff, limit = DIFF_MARKDOWN_LIMIT): string {
  for (const rows of [Infinity, 200, 50, 10]) {
    const text = render(d, rows, rows === Infinity);
    if (text.length <= limit) return text;
  }
  const short = render(d, 0, false);
  return short.length <= limit ? short : `${short.slice(0, limit - 200)}\n\n…cut to stay under GitHub's comment limit: run \`npx accessctl diff\` for ` +
      `everything.\n`;
}

function render(d: RevisionDiff, maxRows: number, details: boolean): string {
  const { added, removed, changes, risks } = d.diff;
  const people = new Set([...added, ...removed].map((r) => r.user)).size;
  const accounts = new Set([...added, ...removed].map((r) => r.accountId)).size;
  const out: string[] = [COMMENT_MARKER];
  // Okta access: who joins or leaves a group, and which groups an app is assigned to.
  // A member entry written already past changes nothing in Okta unless it ends a membership.
  const okta = changes.filter((c) => (c.kind === 'member' && (c.expired !== true || c.action === 'removed')) || c.kind === 'app').length;
  const oktaWords = `${okta} Okta access change${okta === 1 ? '' : 's'} (group and app membership)`;
  const aws = `+${added.length} / −${removed.length} access for ${people} ${people === 1 ? 'person' : 'people'} on ${accounts} ` +
      `account${accounts === 1 ? '' : 's'}`;
  out.push(
    added.length + removed.length === 0
      ? okta === 0 ? `### accessctl: no change in who can access what` : `### accessctl: no AWS access change; ${oktaWords}`
      : `### accessctl: ${aws}${okta === 0 ? '' : `; ${oktaWords}`}`,
  );
  out.push(
    '',
    `Compared with \`${codeSpan(revision(d.base))}\`; ${changes.length} change${changes.length === 1 ? '' : 's'} to groups, members, permission sets and ` +
        `settings.`,
  );
  if (d.base.model === undefined && d.base.diagnostics.length > 0) out.push(
    '',
    '> The base revision has errors, so every access in this change is listed as added.',
  );
  if (risks.length > 0) {
    out.push('');
    for (const r of risks) if (r.flag !== 'sensitive-actions') out.push(`> :warning: **${r.flag}**: ${esc(r.message)}`);
    out.push(...sensitiveMarkdown(d.diff.sensitive, sensitiveBudget(maxRows), 'run `npx accessctl diff`'));
  }
  table(out, 'Access added', added, maxRows);
  table(out, 'Access removed', removed, maxRows);
  const acc = byAccount(added, removed);
  if (details && acc.length > 0) {
    out.push('', `<details><summary>By account (${acc.length})</summary>`, '', '| Account | Added | Removed |', '| --- | ---: | ---: |');
    for (const a of acc) out.push(`| ${esc(a.account)} \`${a.accountId}\` | ${a.added} | ${a.removed} |`);
    out.push('', '</details>');
  }
  if (changes.length > 0) {
    const shown = Number.isFinite(maxRows) ? changes.slice(0, Math.max(maxRows, 0)) : changes;
    out.push('', `<details><summary>All changes (${changes.length})</summary>`, '');
    for (const c of shown) out.push(`- \`${changeSign(c)}\` ${esc(describeChange(c))}`);
    if (shown.length < changes.length) out.push(`- … and ${changes.length - shown.length} more: run \`npx accessctl diff\``);
    out.push('', '</details>');
  }
  if (details) {
    for (const c of changes) {
      const inline = c.inlinePolicy as { statementsAdded: string[]; statementsRemoved: string[] } | undefined;
      if (c.kind !== 'permission-set' || !inline) continue;
      out.push('', `<details><summary>Inline policy of ${escHtml(c.name)}</summary>`, '', '```diff');
      for (const s of inline.statementsRemoved) out.push(`- ${codeSpan(s)}`);
      for (const s of inline.statementsAdded) out.push(`+ ${codeSpan(s)}`);
      out.push('```', '', '</details>');
    }
  }
  return `${out.join('\n')}\n`;
}

function table(out: string[], title: string, rows: readonly AccessRow[], maxRows: number): void {
  if (rows.length === 0) return;
  out.push('', `#### ${title} (${rows.length})`, '');
  if (maxRows === 0) return;
  out.push('| Person | Account | Permission set | Via | Until |', '| --- | --- | --- | --- | --- |');
  const shown = Number.isFinite(maxRows) ? rows.slice(0, maxRows) : rows;
  for (const r of shown) out.push(`| ${esc(r.user)} | ${esc(r.account)} \`${r.accountId}\` | ${esc(r.permissionSet)} | ${esc(r.via.join(', '))} | ` +
      `${r.expires ?? ''} |`);
  if (shown.length < rows.length) out.push(`| … and ${rows.length - shown.length} more | | | | |`);
}

/**
 * Characters that hide or reorder text: every format character (bidi
 * controls, zero-width characters, soft hyphen, tag characters), the unassigned
 * U+2065 among them, and characters that render as nothing (combining grapheme
 * joiner, Hangul fillers).
 */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u2065\u3164\uffa0]/gu;
/** Line breaks, Unicode's line and paragraph separators among them. */
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
/** Control characters (C0 but tab, DEL, C1). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const ZWSP = '\u200b';

/**
 * Text from the files (names, descriptions, reasons, logins) as inert
 * Markdown for a PR comment, a PR body, a job summary or a report, inline or
 * at the start of a line: it renders as the characters it is, and nothing in
 * it becomes HTML, a table break, emphasis, math, a link or image, an
 * autolink, an @mention, an issue reference (#123, GH-123, org/repo#123,
 * "fixes #123"), an emoji shortcode, a list, heading or code block, or hidden
 * or reordered text.
 *
 * - Characters that hide or reorder text (bidi controls, zero-width
 *   characters) and control characters show as U+FFFD; line breaks become
 *   spaces.
 * - & < > are HTML entities, so an entity in the text (&lt;) stays text.
 * - GitHub finds mentions, references, shortcodes and autolinks in the
 *   rendered text, where backslashes are gone: a zero-width space after every
 *   @ that no letter or digit precedes (an e-mail address stays as it is),
 *   after every #, after the "-" of GH- before a digit, after a : followed by
 *   a letter, digit, / + _ or - (shortcodes, URL schemes: https:, mailto:,
 *   javascript:), and inside every "www.", keeps them from matching.
 * - The Markdown punctuation that can start something (\ * _ ~ [ ] | $ and
 *   backquotes, which become ') is backslash-escaped, the backslash first, so
 *   an escape in the text stays text. ( ) stay as they are: with every [
 *   escaped they cannot make a link.
 * - Leading blanks are dropped, and a leading - + = or "1." / "1)" is
 *   escaped, so text that starts a line starts no list, code block or
 *   heading underline.
 */
export function esc(s: string): string {
  return inert(s)
    .replace(/`/g, "'")
    .replace(/[\\*_~[\]|$]/g, (c) => `\\${c}`)
    .replace(/^[ \t]+/, '')
    .replace(/^[-+=]/, (c) => `\\${c}`)
    .replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/**
 * Text from the files inside raw HTML (a <summary>, whose line GitHub passes
 * through as HTML, so backslash escapes would show): the same as esc but for
 * the backslashes, with " as an entity too.
 */
function escHtml(s: string): string {
  return inert(s).replace(/"/g, '&quot;');
}

/** What esc and escHtml share: no hidden text, no HTML, nothing GitHub links in the rendered text. */
function inert(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(?<![A-Za-z0-9])@/g, `@${ZWSP}`)
    .replace(/#/g, `#${ZWSP}`)
    .replace(/(gh)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:(?=[A-Za-z0-9/+_-])/g, `:${ZWSP}`)
    .replace(/(www)\./gi, `$1${ZWSP}.`);
}

/** Hidden and control characters as U+FFFD, line breaks as spaces. */
function visible(s: string): string {
  return s.replace(INVISIBLE, '\ufffd').replace(LINE_BREAKS, ' ').replace(CONTROL, '\ufffd');
}

/** Text inside a code span or a fenced code block, where Markdown is inert already: only what could end it or hide text changes. */
export function codeSpan(s: string): string {
  return visible(s).replace(/`/g, "'");
}
