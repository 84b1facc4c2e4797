// The sticky pull-request comment: one comment per pull request, found by its
// first line, COMMENT_MARKER, and made of sections that different workflows
// write: approvals (approvals.yml) and access (pr.yml: the access diff and
// the plan summary). Each section stands between a start and an end marker,
// each a whole line by itself.
//
// Pure, with no imports at all: the comment jobs require() the compiled file
// (dist/src/github/sticky-comment.js) from a job that has node and nothing else.
//
// User text can reach every section. It must never end a section early, start
// one, or open an HTML comment (everything after `<!--` is hidden when the
// comment renders), so every section body goes through inertMarkers, and the
// comment is read back by marker lines only.

/** The first line of accessctl's comment: how the comment jobs find it. */
export const COMMENT_MARKER = '<!-- accessctl -->';

/** The sections of the comment, in the order they stand in it. */
export const SECTION_IDS = ['approvals', 'access'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** The line that starts section `id`. */
export function sectionStart(id: SectionId): string {
  return `<!-- accessctl:${id} -->`;
}

/** The line that ends section `id`. */
export function sectionEnd(id: SectionId): string {
  return `<!-- /accessctl:${id} -->`;
}

/** GitHub rejects a comment over 65,536 characters. */
export const COMMENT_LIMIT = 65_000;

/** The last line of a section that was cut to fit. */
export const CUT_NOTE = "…cut to fit GitHub's comment limit: the job summary has all of it.";

const ZWSP = '\u200b';

/**
 * Text with every `<!--` and `-->` made inert: a zero-width space between `<`
 * and `!`, and between `--` and `>`. It looks the same, in a code block or out
 * of one, but opens no HTML comment, closes none, and is no marker. Applying
 * it twice changes nothing more.
 */
export function inertMarkers(text: string): string {
  return text.replace(/<!--/g, `<${ZWSP}!--`).replace(/-->/g, `--${ZWSP}>`);
}

/** Section `id` around `body`, with the body made inert. */
export function section(id: SectionId, body: string): string {
  return `${sectionStart(id)}\n${inertMarkers(body).trim()}\n${sectionEnd(id)}`;
}

/**
 * The bodies of the sections of a comment, read by marker lines only: a start
 * line, then the first matching end line after it. A start line without an end
 * line, a second section of the same id, and text outside sections are not
 * sections. A comment of the earlier format (the comment marker, the approvals
 * section, then the access diff and plan as free text) has no access section:
 * its text outside sections is the access section's body.
 */
export function parseComment(text: string): Partial<Record<SectionId, string>> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const sections: Partial<Record<SectionId, string>> = {};
  const outside: string[] = [];
  let i = lines[0] === COMMENT_MARKER ? 1 : 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const id = SECTION_IDS.find((s) => line === sectionStart(s) && sections[s] === undefined);
    const end = id === undefined ? -1 : lines.indexOf(sectionEnd(id), i + 1);
    if (id === undefined || end < 0) {
      outside.push(line);
      i++;
      continue;
    }
    sections[id] = lines.slice(i + 1, end).join('\n');
    i = end + 1;
  }
  const rest = outside.join('\n').trim();
  if (sections.access === undefined && rest !== '') sections.access = rest;
  return sections;
}

/**
 * The comment with section `id` set to `body`: the other section of `existing`
 * is kept as it is (its body made inert again), anything else in it is
 * dropped, and the result is COMMENT_MARKER, then the approvals section, then
 * the access section, a missing one left out. `body` may come as the CLI
 * writes it: a leading comment marker line, and this section's own start and
 * end lines around it, are taken off. When the comment would be longer than
 * `limit`, the section being written is cut, with CUT_NOTE as its last line.
 */
export function mergeComment(existing: string | undefined, id: SectionId, body: string, limit = COMMENT_LIMIT): string {
  const bodies: Partial<Record<SectionId, string>> = { ...(existing === undefined ? {} : parseComment(existing)), [id]: unwrap(id, body) };
  const comment = (): string => [COMMENT_MARKER, ...SECTION_IDS.filter((s) => bodies[s] !== undefined).map((s) => section(s, bodies[s]!))].join('\n');
  const full = comment();
  if (full.length <= limit) return full;
  // What the section being written may take: its body's share of the limit, less the note.
  const room = limit - (full.length - section(id, bodies[id]!).length) - sectionStart(id).length - sectionEnd(id).length - 2;
  bodies[id] = cut(inertMarkers(bodies[id]!).trim(), room);
  // Only when the other section alone nearly fills the comment: it is cut too.
  const over = comment().length - limit;
  const other = SECTION_IDS.find((s) => s !== id && bodies[s] !== undefined);
  if (over > 0 && other !== undefined) {
    const kept = inertMarkers(bodies[other]!).trim();
    bodies[other] = cut(kept, kept.length - over);
  }
  return comment();
}

/** The body of section `id` without the comment marker line and the section's own markers the CLI writes around it. */
function unwrap(id: SectionId, body: string): string {
  const lines = body.trim().split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0] === COMMENT_MARKER) lines.shift();
  if (lines.length >= 2 && lines[0] === sectionStart(id) && lines[lines.length - 1] === sectionEnd(id)) return lines.slice(1, -1).join('\n');
  return lines.join('\n');
}

/**
 * Inert text cut to at most `room` characters, CUT_NOTE included: at a line
 * end where one is near enough, never inside a surrogate pair, and with a
 * fenced code block left open closed, so that the section's end line is no
 * code.
 */
function cut(text: string, room: number): string {
  if (text.length <= room) return text;
  // The fence that may have to be closed, and the blank line and note after it.
  const reserve = CUT_NOTE.length + 2 + 2 + longestFence(text);
  let at = Math.max(0, room - reserve);
  const lineEnd = text.lastIndexOf('\n', at);
  if (lineEnd >= at - 2000 && lineEnd > 0) at = lineEnd;
  else if (at > 0 && isHighSurrogate(text.charCodeAt(at - 1))) at--;
  const kept = text.slice(0, at).trimEnd();
  const fence = openFence(kept);
  return [kept, ...(fence === undefined ? [] : [fence]), '', CUT_NOTE].join('\n').replace(/^\n+/, '');
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** A fence line: up to three spaces, then three or more backticks or tildes (CommonMark). */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The length of the longest fence in text: a closing fence as long as that is enough for any. */
function longestFence(text: string): number {
  let longest = 0;
  for (const line of text.split('\n')) longest = Math.max(longest, FENCE.exec(line)?.[1].length ?? 0);
  return longest;
}

/** The line that closes the fenced code block open at the end of text, if one is. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = FENCE.exec(line);
    if (!m) continue;
    const fence = m[1];
    const after = m[2];
    if (open === undefined) {
      // A backtick fence's info string has no backtick.
      if (!(fence[0] === '`' && after.includes('`'))) open = fence;
    } else if (fence[0] === open[0] && fence.length >= open.length && after.trim() === '') {
      open = undefined;
    }
  }
  return open;
}
