// A step of accessctl import: when the AWS export holds customer managed
// policy exports (iam/<accountId>.json, docs/import.md), the customer managed
// policies (and boundaries) of each permission set are looked up in every
// account it is assigned to. IAM Identity Center provisions a permission set
// on an account only when the account has every policy it references, so a
// missing one is reported; accounts without an export are not judged.
import { cmp } from '../diagnostics';
import { readCustomerManagedExports } from '../iam/exports';
import { customerManagedName, type CustomerManagedRef } from '../iam/evaluate';
import type { ImportContext } from './context';
import type { AwsExports, ImportedPermissionSet } from './read-aws';

/** "PS on ACCOUNT (ID): customer managed policy /path/name is not in FILE", sorted; [] without iam/ exports. */
export function missingCustomerManagedPolicies(ctx: ImportContext, aws: AwsExports): string[] {
  const exported = readCustomerManagedExports(ctx.input.awsDir, ctx.input.awsLabel);
  if (exported.size === 0) return [];
  const out = new Set<string>();
  for (const a of aws.assignments) {
    const account = exported.get(a.accountId);
    const ps = aws.permissionSets.get(a.psArn);
    if (account === undefined || ps === undefined) continue;
    for (const { ref, role } of referencesOf(ps)) {
      const name = customerManagedName(ref);
      if (account.documents.has(name)) continue;
      const where = `${ps.name} on ${aws.accountById.get(a.accountId)!.name} (${a.accountId})`;
      out.add(`${where}: ${role} ${name.slice('customer-managed:'.length)} is not in ${account.file}`);
    }
  }
  return [...out].sort(cmp);
}

/** The customer managed policies an imported permission set references, its boundary included. */
function referencesOf(ps: ImportedPermissionSet): Array<{ ref: CustomerManagedRef; role: string }> {
  const refs = (ps.doc.customerManagedPolicies ?? []) as CustomerManagedRef[];
  const boundary = (ps.doc.permissionsBoundary as { customerManagedPolicy?: CustomerManagedRef } | undefined)?.customerManagedPolicy;
  return [
    ...refs.map((ref) => ({ ref, role: 'customer managed policy' })),
    ...(boundary ? [{ ref: boundary, role: 'permissions boundary' }] : []),
  ];
}
