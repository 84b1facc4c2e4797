import type { Verdict } from '../../approvals/evaluate';
import { formatApprovalsJson } from './json';
import { formatApprovalsMarkdown } from './markdown';
import { formatApprovalsText } from './text';

export const APPROVALS_REPORTERS = {
  text: formatApprovalsText,
  markdown: formatApprovalsMarkdown,
  json: formatApprovalsJson,
} as const satisfies Record<string, (v: Verdict) => string>;

export type ApprovalsFormat = keyof typeof APPROVALS_REPORTERS;
export const APPROVALS_FORMATS = Object.keys(APPROVALS_REPORTERS) as ApprovalsFormat[];
