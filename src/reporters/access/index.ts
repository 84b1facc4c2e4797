import type { AccessRow } from '../../model/access';

/** Whether SCIM provisions a person to AWS IAM Identity Center (who-can --user). */
export interface ProvisioningLine {
  readonly user: string;
  readonly provisioned: boolean;
  readonly assignmentGroup: string;
  /** The groups pushed to AWS that hold the person. */
  readonly groups: readonly string[];
}
import { formatAccessCsv } from './csv';
import { formatAccessJson } from './json';
import { formatAccessText } from './text';

export type AccessReporter = (rows: readonly AccessRow[], provisioning?: readonly ProvisioningLine[]) => string;

export const ACCESS_REPORTERS = {
  text: formatAccessText,
  json: formatAccessJson,
  csv: formatAccessCsv,
} as const satisfies Record<string, AccessReporter>;

export type AccessFormat = keyof typeof ACCESS_REPORTERS;
export const ACCESS_FORMATS = Object.keys(ACCESS_REPORTERS) as AccessFormat[];
