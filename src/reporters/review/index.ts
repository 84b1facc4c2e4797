import { formatReviewCsv } from './csv';
import { formatReviewHtml } from './html';
import { formatReviewMarkdown } from './markdown';
import type { ReviewSheet } from './types';

export const REVIEW_REPORTERS = {
  markdown: formatReviewMarkdown,
  html: formatReviewHtml,
  csv: formatReviewCsv,
} as const satisfies Record<string, (s: ReviewSheet) => string>;

export type ReviewFormat = keyof typeof REVIEW_REPORTERS;
export const REVIEW_FORMATS = Object.keys(REVIEW_REPORTERS) as ReviewFormat[];
