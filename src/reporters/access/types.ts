/** Whether SCIM provisions a person to AWS IAM Identity Center (who-can --user). */
export interface ProvisioningLine {
  readonly user: string;
  readonly provisioned: boolean;
  readonly assignmentGroup: string;
  /** The groups pushed to AWS that hold the person. */
  readonly groups: readonly string[];
}
