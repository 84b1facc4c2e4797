import type { WaivedFinding } from '../../guardrails/run';

/** What a report may show besides the diagnostics. */
export interface ReportExtras {
  readonly waived?: readonly WaivedFinding[];
}
