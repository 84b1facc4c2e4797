import { DataResource, TerraformIterator, TerraformLocal, TerraformOutput, TerraformVariable, Token, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { AppGroupAssignment } from '@cdktf/provider-okta/lib/app-group-assignment';
import { AppGroupAssignments } from '@cdktf/provider-okta/lib/app-group-assignments';
import { AppSaml } from '@cdktf/provider-okta/lib/app-saml';
import { AppSignonPolicy } from '@cdktf/provider-okta/lib/app-signon-policy';
import { AppSignonPolicyRule } from '@cdktf/provider-okta/lib/app-signon-policy-rule';
import { DataOktaUsers } from '@cdktf/provider-okta/lib/data-okta-users';
import { Group } from '@cdktf/provider-okta/lib/group';
import { GroupMemberships } from '@cdktf/provider-okta/lib/group-memberships';
import { GroupOwner } from '@cdktf/provider-okta/lib/group-owner';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { OKTA_MAX_RETRIES, type OktaLayout } from '../src/synth/layout';
import { addBackend, type BackendSpec } from './backend';
import { OktaAppConnection, OktaAppUserProvisioning } from './okta-provisioning';
import { OktaPushGroup } from './push-group';
import { DataStack } from './raw';
import { addImportBlocks, addMovedBlocks, named, setProviderVersion } from './util';

/** A precondition of a memberships resource: every login of each.value.logins is an Okta user (the message names the missing ones). */
function membersFound(what: string): { condition: string; errorMessage: string } {
  return {
    condition: '${alltrue([for login in each.value.logins : contains(keys(local.okta_user_ids), login)])}',
    errorMessage: `Members of ${what} were not found in Okta: \${join(", ", [for login in each.value.logins : login if !contains(keys(local.okta_user_ids), login)])}. Create the users or correct the logins.`,
  };
}

/** The Terraform variable that carries the SCIM token; CI sets it from the secret OKTA_AWS_SCIM_TOKEN. */
export const SCIM_TOKEN_VARIABLE = 'okta_aws_scim_token';

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
 * connection, features, assignment group and its members, assignment, then
 * the pushes.
 */
export class OktaStack extends DataStack {
  constructor(scope: Construct, layout: OktaLayout, backend: BackendSpec) {
    super(scope, layout.stack);
    addBackend(this, layout.stack, backend);
    new OktaProvider(this, 'okta', {
      orgName: layout.provider.orgName,
      baseUrl: layout.provider.baseUrl,
      maxApiCapacity: layout.provider.maxApiCapacity,
      backoff: true,
      maxRetries: OKTA_MAX_RETRIES,
    });
    setProviderVersion(this, 'okta', 'okta/okta', layout.providerVersion);

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
      if (app.scim) {
        const token = new TerraformVariable(this, 'scim-token', {
          type: 'string',
          sensitive: true,
          nullable: false,
          validation: [{
            condition: `\${length(trimspace(var.${SCIM_TOKEN_VARIABLE})) > 0}`,
            errorMessage: 'The SCIM token is empty: set TF_VAR_okta_aws_scim_token from the CI secret OKTA_AWS_SCIM_TOKEN (docs/ci.md).',
          }],
          description: 'The SCIM access token from IAM Identity Center > Settings > Automatic provisioning, used when the connection is created (first apply, or a new scim.tokenIssued). Set TF_VAR_okta_aws_scim_token from the CI secret OKTA_AWS_SCIM_TOKEN; never write it in a file.',
        });
        token.overrideLogicalId(SCIM_TOKEN_VARIABLE);
        // The day the token was issued (settings scim.tokenIssued): a new day replaces the connection,
        // which is then created with the token of that run. The token is otherwise ignored after
        // creation, so plans made without the secret (pull requests, drift) show no change.
        const issued = named(new DataResource(this, 'aws-scim-token', {
          forEach: TerraformIterator.fromMap({ [app.key]: { issued: app.scim.tokenIssued } }),
        }), 'scim_token');
        issued.addOverride('triggers_replace', '${each.value.issued}');
        const connection = named(new OktaAppConnection(this, 'aws-scim-connection', {
          forEach: TerraformIterator.fromMap({ [app.key]: { base_url: app.scim.baseUrl } }),
          id: appId,
          baseUrl: '${each.value.base_url}',
          token: `\${var.${SCIM_TOKEN_VARIABLE}}`,
        }));
        connection.addOverride('lifecycle', { ignore_changes: ['profile'], replace_triggered_by: ['terraform_data.scim_token[each.key]'] });
        ready.push(named(new OktaAppUserProvisioning(this, 'aws-scim-features', {
          forEach: TerraformIterator.fromMap(appMap),
          appId,
          dependsOn: [connection],
        })));
      }

      const assignmentMap = { [app.key]: { name: app.assignmentGroup.name, description: app.assignmentGroup.description } };
      named(new Group(this, 'aws-assignment-group', {
        forEach: TerraformIterator.fromMap(this.raw(assignmentMap)),
        name: '${each.value.name}',
        description: '${each.value.description}',
      }), 'assignment');
      if (app.assignmentGroup.logins.length > 0) {
        ready.push(named(new GroupMemberships(this, 'aws-assignment-members', {
          forEach: TerraformIterator.fromMap(this.raw({ [app.key]: { logins: app.assignmentGroup.logins } })),
          groupId: '${okta_group.assignment[each.key].id}',
          users: Token.asList('${[for login in each.value.logins : local.okta_user_ids[login]]}'),
          trackAllUsers: true,
          lifecycle: {
            precondition: [membersFound('the AWS app assignment group')],
          },
        }), 'assignment'));
      }
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
        named(new OktaPushGroup(this, 'aws-push-groups', {
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
