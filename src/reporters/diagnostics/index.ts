import type { Diagnostic } from '../../diagnostics';
import type { WaivedFinding } from '../../guardrails/run';
import { formatDiagnosticsGithub } from './github';
import { formatDiagnosticsJson } from './json';
import { formatDiagnosticsText } from './text';

/** What a report may show besides the diagnostics. */
export interface ReportExtras {
  readonly waived?: readonly WaivedFinding[];
}

export type DiagnosticsReporter = (list: readonly Diagnostic[], extras?: ReportExtras) => string;

export const DIAGNOSTICS_REPORTERS = {
  text: formatDiagnosticsText,
  json: formatDiagnosticsJson,
  github: formatDiagnosticsGithub,
} as const satisfies Record<string, DiagnosticsReporter>;

export type DiagnosticsFormat = keyof typeof DIAGNOSTICS_REPORTERS;
export const DIAGNOSTICS_FORMATS = Object.keys(DIAGNOSTICS_REPORTERS) as DiagnosticsFormat[];
