// The benchmark's reference, not used by accessctl: how the cdktf examples
// write such stacks, one construct per resource instance (no for_each), each
// value passed through cdktf. bench/ runs it on the same model as synth to
// measure what the for_each layout and stacks/raw.ts save.
import { App, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { SsoadminAccountAssignment } from '../gen/aws/ssoadmin-account-assignment';
import { SsoadminManagedPolicyAttachment } from '../gen/aws/ssoadmin-managed-policy-attachment';
import { SsoadminPermissionSet } from '../gen/aws/ssoadmin-permission-set';
import { AwsProvider } from '../gen/aws/provider';
import { Group } from '../gen/okta/group';
import { GroupMemberships } from '../gen/okta/group-memberships';
import { OktaProvider } from '../gen/okta/provider';
import type { AccessModel } from '../../src/model/types';

class NaiveOkta extends TerraformStack {
  constructor(scope: Construct, model: AccessModel) {
    super(scope, 'okta');
    new OktaProvider(this, 'okta', { orgName: model.settings.okta.org, baseUrl: model.settings.okta.baseUrl });
    model.groups.forEach((g, i) => {
      const group = new Group(this, `group-${i}`, { name: g.name, ...(g.description !== undefined ? { description: g.description } : {}) });
      new GroupMemberships(this, `members-${i}`, { groupId: group.id, users: g.members.map((m) => m.login.toLowerCase()) });
    });
  }
}

class NaiveAws extends TerraformStack {
  constructor(scope: Construct, model: AccessModel) {
    super(scope, 'aws');
    new AwsProvider(this, 'aws', { region: model.settings.aws?.region ?? 'us-east-1' });
    const instanceArn = 'arn:aws:sso:::instance/ssoins-0000000000000000';
    const arns = new Map<string, string>();
    model.permissionSets.forEach((ps, i) => {
      const set = new SsoadminPermissionSet(this, `ps-${i}`, { name: ps.name, instanceArn, ...(ps.sessionDuration !== undefined ? { sessionDuration: ps.sessionDuration } : {}) });
      arns.set(ps.name, set.arn);
      ps.managedPolicies.forEach((m, j) => new SsoadminManagedPolicyAttachment(this, `ps-${i}-mp-${j}`, { instanceArn, permissionSetArn: set.arn, managedPolicyArn: m.arn }));
    });
    model.assignments.forEach((a, i) => {
      new SsoadminAccountAssignment(this, `assignment-${i}`, {
        instanceArn,
        permissionSetArn: arns.get(a.permissionSet)!,
        principalId: `group-id-of-${a.group}`,
        principalType: 'GROUP',
        targetId: a.accountId,
        targetType: 'AWS_ACCOUNT',
      });
    });
  }
}

/** Synthesizes the naive stacks of a model into outdir (stacks/okta, stacks/aws). */
export function naiveSynth(model: AccessModel, outdir: string): void {
  const app = new App({ outdir, skipValidation: true });
  new NaiveOkta(app, model);
  new NaiveAws(app, model);
  app.synth();
}
