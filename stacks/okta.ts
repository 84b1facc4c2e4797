import { TerraformIterator, TerraformLocal, TerraformOutput, Token } from 'cdktf';
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
import { OktaPushGroup } from './push-group';
import { DataStack } from './raw';
import { addImportBlocks, addMovedBlocks, named, setProviderVersion } from './util';

/**
 * The Okta side: groups, memberships, owners, the AWS IAM Identity Center
 * SAML app with its sign-on policy, app assignments and Group Push. Every
 * resource type is one construct with for_each over a map keyed by names.
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
          precondition: [{
            condition: '${alltrue([for login in each.value.logins : contains(keys(local.okta_user_ids), login)])}',
            errorMessage: 'Members of group "${each.key}" were not found in Okta: ${join(", ", [for login in each.value.logins : login if !contains(keys(local.okta_user_ids), login)])}. Create the users or correct the logins.',
          }],
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

      if (app.groups.length > 0) {
        named(new AppGroupAssignments(this, 'aws-app-groups', {
          forEach: TerraformIterator.fromMap(appMap),
          appId: '${okta_app_saml.this[each.key].id}',
          group: app.groups.map((g) => ({ id: `\${okta_group.this[${JSON.stringify(g)}].id}` })),
        }));
      }
      if (app.push.length > 0) {
        named(new OktaPushGroup(this, 'aws-push-groups', {
          forEach: TerraformIterator.fromList([...app.push]),
          appId: `\${okta_app_saml.this[${JSON.stringify(app.key)}].id}`,
          sourceGroupId: '${okta_group.this[each.key].id}',
          status: 'ACTIVE',
          // Deleting the pushed group in AWS would drop its assignments: never on destroy.
          deleteTargetGroupOnDestroy: false,
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
