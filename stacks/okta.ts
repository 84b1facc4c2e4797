import { TerraformIterator, TerraformLocal, TerraformOutput, Token, type ITerraformDependable } from 'cdktn';
import type { Construct } from 'constructs';
import { AppGroupAssignment } from './gen/okta/app-group-assignment';
import { AppGroupAssignments } from './gen/okta/app-group-assignments';
import { AppSaml } from './gen/okta/app-saml';
import { AppSignonPolicy } from './gen/okta/app-signon-policy';
import { AppSignonPolicyRule } from './gen/okta/app-signon-policy-rule';
import { DataOktaUsers } from './gen/okta/data-okta-users';
import { Group } from './gen/okta/group';
import { GroupMemberships } from './gen/okta/group-memberships';
import { GroupOwner } from './gen/okta/group-owner';
import { PushGroup } from './gen/okta/push-group';
import type { OktaLayout } from '../src/synth/layout';
import type { BackendSpec } from './backend';
import { addOktaBase } from './okta-provider';
import { OktaAppUserProvisioning } from './okta-provisioning';
import { DataStack } from './raw';
import { addImportBlocks, addMovedBlocks, named } from './util';

/** A precondition of a memberships resource: every login of each.value.logins is an Okta user (the message names the missing ones). */
function membersFound(what: string): { condition: string; errorMessage: string } {
  return {
    condition: '${alltrue([for login in each.value.logins : contains(keys(local.okta_user_ids), login)])}',
    errorMessage: `Members of ${what} were not found in Okta: \${join(", ", [for login in each.value.logins : login if !contains(keys(local.okta_user_ids), login)])}. Create the users or correct the logins.`,
  };
}

/**
 * The Okta side: groups, memberships, owners, the AWS IAM Identity Center
 * SAML app with its sign-on policy, SCIM provisioning, the app's assignment
 * group and Group Push. Every resource type is one construct with for_each
 * over a map keyed by names.
 *
 * Provisioning never assigns and pushes the same group (Okta does not
 * support it: removed members can stay in the pushed group). The app's
 * assignment group holds everyone in a pushed group and is the only group
 * assigned; each group with AWS grants is pushed. Order on a first apply:
 * features, assignment group and its members, assignment, then the pushes;
 * the SCIM connection is the okta-scim stack's (stacks/okta-scim.ts).
 */
export class OktaStack extends DataStack {
  constructor(scope: Construct, layout: OktaLayout, backend: BackendSpec) {
    super(scope, layout.stack);
    addOktaBase(this, layout.stack, layout, backend);

    // People: one search per batch of logins, merged into login -> user id.
    if (Object.keys(layout.userLookups).length > 0) {
      named(new DataOktaUsers(this, 'user-lookups', {
        forEach: TerraformIterator.fromMap(this.raw(layout.userLookups)),
        search: [{ expression: '${each.value.expression}' }],
      }));
    }
    named(new TerraformLocal(this, 'user-ids',
      Object.keys(layout.userLookups).length > 0
        ? '${merge([for batch in values(data.okta_users.this) : { for u in batch.users : lower(u.login) => u.id }]...)}'
        : {}), 'okta_user_ids');

    named(new Group(this, 'groups', {
      forEach: TerraformIterator.fromMap(this.raw(layout.groups)),
      name: '${each.key}',
      description: '${each.value.description}',
    }));

    if (Object.keys(layout.memberships).length > 0) {
      named(new GroupMemberships(this, 'memberships', {
        forEach: TerraformIterator.fromMap(this.raw(layout.memberships)),
        groupId: '${okta_group.this[each.key].id}',
        users: Token.asList('${[for login in each.value.logins : local.okta_user_ids[login]]}'),
        trackAllUsers: '${each.value.track_all_users}' as unknown as boolean,
        lifecycle: {
          precondition: [membersFound('group "${each.key}"')],
        },
      }));
    }

    if (Object.keys(layout.owners).length > 0) {
      named(new GroupOwner(this, 'owners', {
        forEach: TerraformIterator.fromMap(this.raw(layout.owners)),
        groupId: '${okta_group.this[each.value.group].id}',
        idOfGroupOwner: '${local.okta_user_ids[each.value.login]}',
        type: 'USER',
        lifecycle: {
          precondition: [{
            condition: '${contains(keys(local.okta_user_ids), each.value.login)}',
            errorMessage: 'Owner ${each.value.login} of group "${each.value.group}" was not found in Okta.',
          }],
        },
      }));
    }

    const app = layout.awsApp;
    if (app) {
      const appMap = { [app.key]: { label: app.label } };
      let policyId: string | undefined;
      if (app.requireMfa) {
        named(new AppSignonPolicy(this, 'aws-signon-policy', {
          forEach: TerraformIterator.fromMap(appMap),
          name: '${each.value.label} (accessctl)',
          description: 'Managed by accessctl: sign-in to ${each.value.label} requires MFA.',
          catchAll: false,
        }));
        named(new AppSignonPolicyRule(this, 'aws-signon-rule', {
          forEach: TerraformIterator.fromMap(appMap),
          policyId: '${okta_app_signon_policy.this[each.key].id}',
          name: 'Require MFA',
          access: 'ALLOW',
          factorMode: '2FA',
          priority: 1,
        }));
        policyId = '${okta_app_signon_policy.this[each.key].id}';
      }
      named(new AppSaml(this, 'aws-app', {
        forEach: TerraformIterator.fromMap({ [app.key]: { label: app.label, acs_url: app.acsUrl, entity_id: app.entityId } }),
        label: '${each.value.label}',
        preconfiguredApp: 'amazon_aws_sso',
        appSettingsJson: '${jsonencode({ acsURL = each.value.acs_url, entityID = each.value.entity_id })}',
        status: 'ACTIVE',
        ...(policyId !== undefined ? { authenticationPolicy: policyId } : {}),
      }));
      new TerraformOutput(this, 'aws-idp-metadata', {
        value: `\${okta_app_saml.this[${JSON.stringify(app.key)}].metadata}`,
        description: 'The Okta IdP SAML metadata to upload to AWS IAM Identity Center (Settings > Identity source).',
      }).overrideLogicalId('aws_idp_metadata');
      new TerraformOutput(this, 'aws-idp-metadata-url', {
        value: `\${okta_app_saml.this[${JSON.stringify(app.key)}].metadata_url}`,
      }).overrideLogicalId('aws_idp_metadata_url');

      const appId = '${okta_app_saml.this[each.key].id}';
      const ready: ITerraformDependable[] = [];
      if (app.provisioning) {
        // The connection (SCIM base URL and token) is the okta-scim stack's, applied before this
        // one in the gated job, so that no state the plan role reads holds the token.
        ready.push(named(new OktaAppUserProvisioning(this, 'aws-scim-features', {
          forEach: TerraformIterator.fromMap(appMap),
          appId,
        })));
      }
      // The stack held the connection before the okta-scim stack existed: forget it here, never
      // destroy it (deleting it would stop provisioning); the okta-scim stack takes it over.
      this.addOverride('removed', [
        { from: 'okta_app_connection.this', lifecycle: { destroy: false } },
        { from: 'terraform_data.scim_token', lifecycle: { destroy: false } },
      ]);
      new TerraformOutput(this, 'aws-app-ids', {
        value: '${{ for key, app in okta_app_saml.this : key => app.id }}',
        description: 'The AWS app id by settings key: the okta-scim stack reads it to attach the SCIM connection.',
      }).overrideLogicalId('aws_app_ids');

      const assignmentMap = { [app.key]: { name: app.assignmentGroup.name, description: app.assignmentGroup.description } };
      named(new Group(this, 'aws-assignment-group', {
        forEach: TerraformIterator.fromMap(this.raw(assignmentMap)),
        name: '${each.value.name}',
        description: '${each.value.description}',
      }), 'assignment');
      // Kept when nobody is assigned (users empty): the group stays authoritative, so someone added to it
      // directly in Okta (who would get an AWS user through SCIM) is removed by the next apply.
      ready.push(named(new GroupMemberships(this, 'aws-assignment-members', {
        forEach: TerraformIterator.fromMap(this.raw({ [app.key]: { logins: app.assignmentGroup.logins } })),
        groupId: '${okta_group.assignment[each.key].id}',
        users: Token.asList('${[for login in each.value.logins : local.okta_user_ids[login]]}'),
        trackAllUsers: true,
        lifecycle: {
          precondition: [membersFound('the AWS app assignment group')],
        },
      }), 'assignment'));
      // The assignment first, with its own resource, so that when an org moves
      // from assigning every AWS group (the layout before the assignment group)
      // the groups are unassigned only after everyone is assigned through the
      // assignment group: okta_app_group_assignments removes before it adds.
      const assigned = named(new AppGroupAssignment(this, 'aws-assignment', {
        forEach: TerraformIterator.fromMap(appMap),
        appId,
        groupId: '${okta_group.assignment[each.key].id}',
        dependsOn: ready,
      }), 'assignment');
      // Authoritative: any other group assigned to the app (by hand, or a
      // pushed group) is unassigned.
      const only = named(new AppGroupAssignments(this, 'aws-app-groups', {
        forEach: TerraformIterator.fromMap(appMap),
        appId,
        group: [{ id: '${okta_group.assignment[each.key].id}' }],
        dependsOn: [assigned],
      }));
      if (app.push.length > 0) {
        // Group Push (okta_push_group, okta/okta >= 6.6.0) of each pushed group to the app. Okta pushes only
        // members assigned to the app, so it depends on the app's assignment.
        named(new PushGroup(this, 'aws-push-groups', {
          forEach: TerraformIterator.fromList([...app.push]),
          appId: `\${okta_app_saml.this[${JSON.stringify(app.key)}].id}`,
          sourceGroupId: '${okta_group.this[each.key].id}',
          status: 'ACTIVE',
          // Deleting the pushed group in AWS would drop its assignments: never on destroy.
          deleteTargetGroupOnDestroy: false,
          dependsOn: [only],
        }));
      }
    }

    if (Object.keys(layout.appAssignments).length > 0) {
      named(new AppGroupAssignment(this, 'app-assignments', {
        forEach: TerraformIterator.fromMap(this.raw(layout.appAssignments)),
        appId: '${each.value.app_id}',
        groupId: '${okta_group.this[each.value.group].id}',
      }));
    }

    addMovedBlocks(this, layout.moved);
    addImportBlocks(this, layout.imports);
  }
}
