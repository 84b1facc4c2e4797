import type { PlanSummary } from '../../plan/summary';
import { formatPlanJson } from './json';
import { formatPlanMarkdown } from './markdown';
import { formatPlanText } from './text';

export const PLAN_REPORTERS = {
  text: formatPlanText,
  markdown: (s: PlanSummary) => formatPlanMarkdown(s),
  json: formatPlanJson,
} as const satisfies Record<string, (s: PlanSummary) => string>;

export type PlanFormat = keyof typeof PLAN_REPORTERS;
export const PLAN_FORMATS = Object.keys(PLAN_REPORTERS) as PlanFormat[];
