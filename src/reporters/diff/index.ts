import type { RevisionDiff } from '../../diff/revisions';
import { formatDiffJson } from './json';
import { formatDiffMarkdown } from './markdown';
import { formatDiffText } from './text';

export type DiffReporter = (d: RevisionDiff) => string;

export const DIFF_REPORTERS = {
  text: formatDiffText,
  markdown: (d: RevisionDiff) => formatDiffMarkdown(d),
  json: formatDiffJson,
} as const satisfies Record<string, DiffReporter>;

export type DiffFormat = keyof typeof DIFF_REPORTERS;
export const DIFF_FORMATS = Object.keys(DIFF_REPORTERS) as DiffFormat[];
