import { TerraformIterator, TerraformLocal, TerraformOutput, Token, type ITerraformDependable } from 'cdktn';
import { DataTerraformRemoteStateLocal } from 'cdktn/lib/backends/local-backend';
import { DataTerraformRemoteStateS3 } from 'cdktn/lib/backends/s3-backend';
import type { Construct } from 'constructs';
import { DataAwsIdentitystoreGroups } from './gen/aws/data-aws-identitystore-groups';
import { DataAwsSsoadminInstances } from './gen/aws/data-aws-ssoadmin-instances';
import { AwsProvider } from './gen/aws/provider';
import { SsoadminAccountAssignment } from './gen/aws/ssoadmin-account-assignment';
import { SsoadminCustomerManagedPolicyAttachment } from './gen/aws/ssoadmin-customer-managed-policy-attachment';
import { SsoadminManagedPolicyAttachment } from './gen/aws/ssoadmin-managed-policy-attachment';
import { SsoadminPermissionSet } from './gen/aws/ssoadmin-permission-set';
import { SsoadminPermissionSetInlinePolicy } from './gen/aws/ssoadmin-permission-set-inline-policy';
import { SsoadminPermissionsBoundaryAttachment } from './gen/aws/ssoadmin-permissions-boundary-attachment';
import { AWS_PROVIDER, type AwsLayout } from '../src/synth/layout';
import { addBackend, localStatePath, s3StateKey, type BackendSpec } from './backend';
import { DataStack } from './raw';
import { addImportBlocks, addMovedBlocks, named, setProviderVersion } from './util';

/**
 * IAM Identity Center's APIs share ~20 requests/s for the whole org (docs/scale.md#staying-inside-the-api-quota):
 * adaptive retries slow the client down when AWS throttles it (a client-side token bucket) instead of retrying
 * at once, and 25 retries ride out a throttled minute rather than failing the run.
 */
export const AWS_RETRY = { retryMode: 'adaptive', maxRetries: 25 } as const;

/**
 * An account assignment's attribute. The assignments' for_each is a map of key => key and each instance reads its
 * object from local.account_assignments: OpenTofu evaluates the whole for_each value again for every instance (and
 * unmarks it deeply, twice), so a for_each of 1,000 objects costs the plan 1,000 x 1,000 object copies, a map of
 * strings far less (docs/scale.md#our-layout-against-literal-blocks). The instance keys are the same either way.
 */
const assigned = (attr: 'group' | 'permission_set' | 'account_id'): string => `local.account_assignments[each.key].${attr}`;

const GROUP_MISSING =
  `Group "\${${assigned('group')}}" is not in the AWS Identity Store. An existing assignment is never planned away because a lookup came back empty: ` +
  'check that Okta pushes the group to AWS (SCIM, Group Push), then plan again.';
const GROUP_AMBIGUOUS =
  `The AWS Identity Store holds \${length(local.group_matches[${assigned('group')}])} groups named "\${${assigned('group')}}" ` +
  `(ids \${join(", ", local.group_matches[${assigned('group')}])}): ` +
  'the assignment cannot say which one it means. Delete or rename the group that Okta does not push, then plan again.';
const PERMISSION_SET_MISSING =
  `Permission set "\${${assigned('permission_set')}}" is not among the outputs of the aws stack. Apply the aws stack first, then plan this shard again.`;

/**
 * AWS IAM Identity Center: permission sets with their policies (the "aws"
 * stack only) and account assignments for groups that SCIM pushes from Okta.
 * Identity Store groups are found with one list lookup for all groups.
 */
export class AwsStack extends DataStack {
  constructor(scope: Construct, layout: AwsLayout, backend: BackendSpec) {
    super(scope, layout.stack);
    addBackend(this, layout.stack, backend);
    new AwsProvider(this, 'aws', { region: layout.region, ...AWS_RETRY });
    setProviderVersion(this, 'aws', 'hashicorp/aws', AWS_PROVIDER);

    if (layout.instanceArn === undefined || layout.identityStoreId === undefined) {
      named(new DataAwsSsoadminInstances(this, 'instances'));
    }
    new TerraformLocal(this, 'instance-arn', layout.instanceArn ?? '${tolist(data.aws_ssoadmin_instances.this.arns)[0]}').overrideLogicalId('instance_arn');
    new TerraformLocal(this, 'identity-store-id', layout.identityStoreId ?? '${tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]}').overrideLogicalId('identity_store_id');

    const policyResources = layout.shard === undefined ? this.permissionSets(layout) : [];
    if (Object.keys(layout.assignments).length > 0) this.assignments(layout, backend, policyResources);
    addMovedBlocks(this, layout.moved);
    addImportBlocks(this, [...layout.imports, ...this.importBlocks]);
  }

  private readonly importBlocks: Record<string, string>[] = [];

  private permissionSets(layout: AwsLayout): ITerraformDependable[] {
    const dependables: ITerraformDependable[] = [];
    if (Object.keys(layout.permissionSets).length === 0) return dependables;
    named(new SsoadminPermissionSet(this, 'permission-sets', {
      forEach: TerraformIterator.fromMap(this.raw(layout.permissionSets)),
      name: '${each.key}',
      instanceArn: '${local.instance_arn}',
      description: '${each.value.description}',
      sessionDuration: '${each.value.session_duration}',
      relayState: '${each.value.relay_state}',
      tags: Token.asStringMap('${each.value.tags}'),
    }));
    new TerraformOutput(this, 'permission-set-arns', {
      value: '${{ for name, ps in aws_ssoadmin_permission_set.this : name => ps.arn }}',
      description: 'Permission set name -> ARN, read by the shard stacks.',
    }).overrideLogicalId('permission_set_arns');

    // Every attachment's for_each value names its permission set (keys alone are not enough for the engine).
    const psArn = '${aws_ssoadmin_permission_set.this[each.value.permission_set].arn}';
    if (Object.keys(layout.managedPolicyAttachments).length > 0) {
      dependables.push(named(new SsoadminManagedPolicyAttachment(this, 'managed-policies', {
        forEach: TerraformIterator.fromMap(this.raw(layout.managedPolicyAttachments)),
        instanceArn: '${local.instance_arn}',
        permissionSetArn: psArn,
        managedPolicyArn: '${each.value.arn}',
      })));
    }
    if (Object.keys(layout.customerManagedPolicyAttachments).length > 0) {
      dependables.push(named(new SsoadminCustomerManagedPolicyAttachment(this, 'customer-managed-policies', {
        forEach: TerraformIterator.fromMap(this.raw(layout.customerManagedPolicyAttachments)),
        instanceArn: '${local.instance_arn}',
        permissionSetArn: psArn,
        customerManagedPolicyReference: { name: '${each.value.name}', path: '${each.value.path}' },
      })));
    }
    if (Object.keys(layout.inlinePolicies).length > 0) {
      dependables.push(named(new SsoadminPermissionSetInlinePolicy(this, 'inline-policies', {
        forEach: TerraformIterator.fromMap(this.raw(layout.inlinePolicies)),
        instanceArn: '${local.instance_arn}',
        permissionSetArn: psArn,
        inlinePolicy: '${each.value.policy}',
      })));
    }
    if (Object.keys(layout.permissionsBoundaries).length > 0) {
      const boundary = named(new SsoadminPermissionsBoundaryAttachment(this, 'permissions-boundaries', {
        forEach: TerraformIterator.fromMap(this.raw(layout.permissionsBoundaries)),
        instanceArn: '${local.instance_arn}',
        permissionSetArn: psArn,
        permissionsBoundary: { managedPolicyArn: '${each.value.managed_policy_arn}' },
      }));
      // A boundary is either an AWS managed policy or a customer managed one: the reference block exists only for the latter.
      boundary.addOverride('permissions_boundary.dynamic.customer_managed_policy_reference', {
        for_each: '${each.value.customer_managed_policy == null ? [] : [each.value.customer_managed_policy]}',
        content: { name: '${customer_managed_policy_reference.value.name}', path: '${customer_managed_policy_reference.value.path}' },
      });
      dependables.push(boundary);
    }
    return dependables;
  }

  private assignments(layout: AwsLayout, backend: BackendSpec, policyResources: ITerraformDependable[]): void {
    named(new DataAwsIdentitystoreGroups(this, 'identity-store-groups', { identityStoreId: '${local.identity_store_id}' }));
    const local = (id: string, name: string, value: unknown): void => {
      new TerraformLocal(this, `local-${id}`, typeof value === 'string' ? value : this.raw(value)).overrideLogicalId(name);
    };
    // Display name -> every group id with that name (the "..." groups them): a repeated name never fails the plan with
    // "Duplicate object key"; the assignment's precondition names it instead.
    local('identity-store-group-ids', 'identity_store_groups', '${{ for g in data.aws_identitystore_groups.this.groups : g.display_name => g.group_id... }}');
    local('group-lookup', 'group_lookup', layout.groupLookup);
    // The ids under the first name (current, then names before a rename) that the Identity Store holds.
    local('group-matches', 'group_matches', '${{ for name, names in local.group_lookup : name => try([for n in names : local.identity_store_groups[n] if contains(keys(local.identity_store_groups), n)][0], []) }}');
    local('group-ids', 'group_ids', '${{ for name, ids in local.group_matches : name => length(ids) == 1 ? ids[0] : null }}');
    local('new-groups', 'new_groups', layout.newGroups);
    local('account-assignments', 'account_assignments', layout.assignments);

    let condition = 'length(local.group_matches[a.group]) > 0 || !contains(local.new_groups, a.group)';
    let permissionSetArn = `\${aws_ssoadmin_permission_set.this[${assigned('permission_set')}].arn}`;
    const preconditions = [
      { condition: `\${length(local.group_matches[${assigned('group')}]) > 0}`, errorMessage: GROUP_MISSING },
      { condition: `\${length(local.group_matches[${assigned('group')}]) < 2}`, errorMessage: GROUP_AMBIGUOUS },
    ];
    if (layout.shard !== undefined) {
      const b = backend.backend;
      if (b.type === 'local') named(new DataTerraformRemoteStateLocal(this, 'aws-state', { path: localStatePath(backend, 'aws') }), 'aws');
      else named(new DataTerraformRemoteStateS3(this, 'aws-state', { bucket: b.bucket, key: s3StateKey(b.keyPrefix, 'aws'), region: b.region }), 'aws');
      local('permission-set-arns', 'permission_set_arns', '${try(data.terraform_remote_state.aws.outputs.permission_set_arns, {})}');
      local('new-permission-sets', 'new_permission_sets', layout.newPermissionSets);
      condition = `(${condition}) && (contains(keys(local.permission_set_arns), a.permission_set) || !contains(local.new_permission_sets, a.permission_set))`;
      permissionSetArn = `\${local.permission_set_arns[${assigned('permission_set')}]}`;
      preconditions.push({ condition: `\${contains(keys(local.permission_set_arns), ${assigned('permission_set')})}`, errorMessage: PERMISSION_SET_MISSING });
    }

    // What this plan declares (key => key, see `assigned`): every assignment, less those of new groups and permission sets
    // that do not exist yet.
    local('planned-assignments', 'planned_assignments', `\${{ for key, a in local.account_assignments : key => key if ${condition} }}`);
    const assignment = named(new SsoadminAccountAssignment(this, 'account-assignments', {
      instanceArn: '${local.instance_arn}',
      permissionSetArn,
      principalId: `\${local.group_ids[${assigned('group')}]}`,
      principalType: 'GROUP',
      targetId: `\${${assigned('account_id')}}`,
      targetType: 'AWS_ACCOUNT',
      lifecycle: { precondition: preconditions },
      // Provision a permission set with its policies attached, never before.
      ...(policyResources.length > 0 ? { dependsOn: policyResources } : {}),
    }));
    assignment.addOverride('for_each', '${local.planned_assignments}');
    if (Object.keys(layout.assignmentImports).length > 0) {
      // One import block over the imported assignments this plan declares: an import into an instance the filtered
      // for_each leaves out (its group waits for SCIM) would fail the plan ("Configuration for import target does not exist").
      local('assignment-imports', 'assignment_imports', layout.assignmentImports);
      this.importBlocks.push({
        for_each: '${{ for key, id in local.assignment_imports : key => id if contains(keys(local.planned_assignments), key) }}',
        to: 'aws_ssoadmin_account_assignment.this[each.key]',
        id: '${each.value}',
      });
    }

    new TerraformOutput(this, 'pending-scim-groups', {
      value: '${[for g in local.new_groups : g if length(local.group_matches[g]) == 0]}',
      description: 'Groups created in this change that SCIM has not pushed to AWS yet: their assignments are planned once the push is done.',
    }).overrideLogicalId('pending_scim_groups');
  }
}
