// From exports to access/ files and the imports.yaml that adopts every
// existing object. Objects accessctl cannot express are reported, never
// dropped silently.
//
// The steps, each in its own file, share an ImportContext (context.ts):
//   read   read-aws.ts, read-okta.ts  the exports, checked field by field
//   match  match.ts                   groups to apps, owners and AWS grants
//   check  check-policies.ts          customer managed policies the accounts lack (iam/ exports)
//   write  write.ts                   the access/ files and the import blocks
//   report buildImport below          what was imported, counted
import { missingCustomerManagedPolicies } from './check-policies';
import { type ImportContext, type ImportEntryOut, type ImportInput, newImportContext } from './context';
import { adoptAwsAppAssignments, matchAssignments } from './match';
import { type AwsExports, readAwsExports } from './read-aws';
import { type OktaExports, readOktaExports } from './read-okta';
import { writeAccounts, writeGroups, writeImports, writePeople, writePermissionSets } from './write';

export type { ImportEntryOut, ImportInput } from './context';
export { IMPORTS_FILE_BYTES } from './write';

export interface ImportResult {
  /** Path relative to the access directory -> content. */
  readonly files: Map<string, string>;
  readonly imports: ImportEntryOut[];
  /** What was not imported, and why. */
  readonly notes: string[];
  /** Access the first apply takes away because the exports hold it in a form accessctl cannot keep. */
  readonly revocations: string[];
  /** Assigned permission sets whose customer managed policies the account's iam/ export lacks (AWS cannot provision them there). */
  readonly missingPolicies: string[];
  readonly counts: Record<string, number>;
}

export function buildImport(input: ImportInput): ImportResult {
  const ctx = newImportContext(input);
  const aws = readAwsExports(ctx);
  const okta = readOktaExports(ctx);
  const assignmentsByGroup = matchAssignments(ctx, aws, okta);
  const missingPolicies = missingCustomerManagedPolicies(ctx, aws);
  writeAccounts(ctx, aws.accounts);
  writePermissionSets(ctx, aws.permissionSets);
  writeGroups(ctx, aws, okta, assignmentsByGroup);
  adoptAwsAppAssignments(ctx, okta.apps);
  writePeople(ctx, okta.groups.people);
  writeImports(ctx);
  return { ...report(ctx, aws, okta), missingPolicies };
}

function report({ files, imports, notes, revocations }: ImportContext, aws: AwsExports, okta: OktaExports): Omit<ImportResult, 'missingPolicies'> {
  const count = (r: string): number => imports.filter((i) => i.resource === r).length;
  return {
    files,
    imports,
    notes,
    revocations,
    counts: {
      groups: okta.groups.groups.length,
      'permission sets': aws.permissionSets.size,
      accounts: aws.accounts.length,
      'account assignments': count('aws_ssoadmin_account_assignment'),
      'import blocks': imports.length,
    },
  };
}
