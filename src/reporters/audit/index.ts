import { formatAuditCsv } from './csv';
import { formatAuditHtml } from './html';
import { formatAuditJson } from './json';
import { formatAuditMarkdown } from './markdown';
import type { AuditReport } from './types';

export const AUDIT_REPORTERS = {
  json: formatAuditJson,
  csv: formatAuditCsv,
  markdown: formatAuditMarkdown,
  html: formatAuditHtml,
} as const satisfies Record<string, (r: AuditReport) => string>;

export type AuditFormat = keyof typeof AUDIT_REPORTERS;
export const AUDIT_FORMATS = Object.keys(AUDIT_REPORTERS) as AuditFormat[];
