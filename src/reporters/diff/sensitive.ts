import { sensitiveWords, type SensitiveChange } from '../../diff/sensitive';
import { codeSpan, esc } from './markdown';

/** How many sensitive-action lines, and names on each, a comment keeps at each size its tables are cut to (see formatDiffMarkdown). */
export function sensitiveBudget(maxRows: number): { lines: number; names: number } {
  if (maxRows === Infinity) return { lines: Infinity, names: 10 };
  if (maxRows >= 200) return { lines: 200, names: 10 };
  if (maxRows >= 50) return { lines: 50, names: 5 };
  if (maxRows >= 10) return { lines: 20, names: 3 };
  return { lines: 20, names: 0 };
}

/**
 * The sensitive-actions risk lines of a PR comment (blockquoted warnings, the
 * pattern as code): at most `lines` of them naming at most `names` people
 * each, then how many more there are.
 */
export function sensitiveMarkdown(list: readonly SensitiveChange[], budget: { lines: number; names: number }, more: string): string[] {
  const shown = list.slice(0, budget.lines);
  const out = shown.map((c) => `> :warning: **sensitive-actions**: ${sensitiveWords(c, budget.names, { code: (s) => `\`${codeSpan(s)}\``, text: esc })}`);
  if (shown.length < list.length) out.push(`> :warning: **sensitive-actions**: … and ${(list.length - shown.length).toLocaleString('en-US')} more: ${more}`);
  return out;
}
