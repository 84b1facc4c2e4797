import { formatAccessCsv } from './csv';
import { formatAccessJson } from './json';
import { formatAccessText } from './text';
import type { ProvisioningLine, WhoCanRow } from './types';

export type { ProvisioningLine, RowDecision, WhoCanRow } from './types';

export type AccessReporter = (rows: readonly WhoCanRow[], provisioning?: readonly ProvisioningLine[]) => string;

export const ACCESS_REPORTERS = {
  text: formatAccessText,
  json: formatAccessJson,
  csv: formatAccessCsv,
} as const satisfies Record<string, AccessReporter>;

export type AccessFormat = keyof typeof ACCESS_REPORTERS;
export const ACCESS_FORMATS = Object.keys(ACCESS_REPORTERS) as AccessFormat[];
