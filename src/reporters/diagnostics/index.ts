import type { Diagnostic } from '../../diagnostics';
import { formatDiagnosticsGithub } from './github';
import { formatDiagnosticsJson } from './json';
import { formatDiagnosticsText } from './text';
import type { ReportExtras } from './types';

export type { ReportExtras } from './types';

export type DiagnosticsReporter = (list: readonly Diagnostic[], extras?: ReportExtras) => string;

export const DIAGNOSTICS_REPORTERS = {
  text: formatDiagnosticsText,
  json: formatDiagnosticsJson,
  github: formatDiagnosticsGithub,
} as const satisfies Record<string, DiagnosticsReporter>;

export type DiagnosticsFormat = keyof typeof DIAGNOSTICS_REPORTERS;
export const DIAGNOSTICS_FORMATS = Object.keys(DIAGNOSTICS_REPORTERS) as DiagnosticsFormat[];
