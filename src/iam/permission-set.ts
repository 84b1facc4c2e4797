// What the evaluator (evaluate.ts) reads of a permission set in the model.

import type { PermissionSet } from '../model/types';
import type { PermissionSetPolicies } from './evaluate';

/** A permission set's managed, inline, boundary and customer managed policies, as the evaluator takes them. */
export function policiesOf(ps: PermissionSet): PermissionSetPolicies {
  const b = ps.permissionsBoundary;
  return {
    managed: ps.managedPolicies.map((m) => m.arn),
    ...(ps.inlinePolicy !== undefined ? { inline: ps.inlinePolicy } : {}),
    ...(b === undefined ? {} : 'managedPolicyArn' in b
      ? { boundary: { managed: b.managedPolicyArn } }
      : { boundary: { customerManaged: { name: b.customerManagedPolicy.name, path: b.customerManagedPolicy.path } } }),
    customerManaged: ps.customerManagedPolicies.map((c) => ({ name: c.name, path: c.path })),
  };
}
