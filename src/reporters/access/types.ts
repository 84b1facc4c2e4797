import type { AccessRow } from '../../model/access';
import type { RowUsage } from '../../usage/rows';

/** Whether SCIM provisions a person to AWS IAM Identity Center (who-can --user). */
export interface ProvisioningLine {
  readonly user: string;
  readonly provisioned: boolean;
  readonly assignmentGroup: string;
  /** The groups pushed to AWS that hold the person. */
  readonly groups: readonly string[];
}

/** With who-can --action: what the permission set decides for the action, and the statement that decides it. */
export interface RowDecision {
  readonly decision: 'allowed' | 'conditional' | 'unknown';
  readonly by?: { readonly policy: string; readonly statement: number; readonly sid?: string };
  /** For `conditional`: the condition keys and policy variables it depends on. */
  readonly conditions?: readonly string[];
  /** Customer managed policies whose documents are not known. */
  readonly unknownPolicies?: readonly string[];
}

/** A row of who-can: effective access, with --action the decision for it, with --usage its last use. */
export interface WhoCanRow extends AccessRow {
  readonly decision?: RowDecision;
  readonly usage?: RowUsage;
}
