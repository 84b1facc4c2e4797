import { DataResource, DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, TerraformIterator, TerraformStack, TerraformVariable } from 'cdktn';
import type { Construct } from 'constructs';
import type { OktaScimLayout } from '../src/synth/layout';
import { localStatePath, s3StateKey, type BackendSpec } from './backend';
import { addOktaBase } from './okta-provider';
import { OktaAppConnection } from './okta-provisioning';
import { named } from './util';

/** The Terraform variable that carries the SCIM token; the gated apply job sets it from the secret OKTA_AWS_SCIM_TOKEN. */
export const SCIM_TOKEN_VARIABLE = 'okta_aws_scim_token';

/** The okta stack's outputs, read from its state (the apply role may read it; this stack is applied only there). */
function oktaOutputs(stack: TerraformStack, spec: BackendSpec): string {
  const b = spec.backend;
  const remote = b.type === 'local'
    ? new DataTerraformRemoteStateLocal(stack, 'okta-state', { path: localStatePath(spec, 'okta') })
    : new DataTerraformRemoteStateS3(stack, 'okta-state', { bucket: b.bucket, key: s3StateKey(b.keyPrefix, 'okta'), region: b.region });
  named(remote, 'okta');
  return 'data.terraform_remote_state.okta.outputs';
}

/**
 * The AWS app's SCIM connection, alone in its stack: Terraform keeps the
 * connection's token in state (the Okta API never returns it, so the
 * provider keeps the configured value), and a saved plan holds the state it
 * was made from. This stack's state is read and written by the apply role
 * only, and it is planned and applied in the gated apply job only; no pull
 * request, drift run or uploaded artifact ever holds it (docs/ci.md).
 */
export class OktaScimStack extends TerraformStack {
  constructor(scope: Construct, layout: OktaScimLayout, backend: BackendSpec) {
    super(scope, layout.stack);
    addOktaBase(this, layout.stack, layout, backend);

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

    const outputs = oktaOutputs(this, backend);
    // The day the token was issued (settings scim.tokenIssued): a new day replaces the connection,
    // which is then created with the token of that run. The token is otherwise ignored after creation.
    const issued = named(new DataResource(this, 'aws-scim-token', { forEach: TerraformIterator.fromMap({ [layout.appKey]: { issued: layout.tokenIssued } }) }), 'scim_token');
    issued.addOverride('triggers_replace', '${each.value.issued}');
    const connection = named(new OktaAppConnection(this, 'aws-scim-connection', {
      forEach: TerraformIterator.fromMap({ [layout.appKey]: { base_url: layout.baseUrl } }),
      id: `\${${outputs}.aws_app_ids[each.key]}`,
      baseUrl: '${each.value.base_url}',
      token: `\${var.${SCIM_TOKEN_VARIABLE}}`,
    }));
    connection.addOverride('lifecycle', {
      ignore_changes: ['profile'],
      replace_triggered_by: ['terraform_data.scim_token[each.key]'],
      precondition: [{
        condition: `\${contains(keys(try(${outputs}.aws_app_ids, {})), each.key)}`,
        error_message: 'The okta stack has no AWS app "${each.key}" yet: apply the okta stack first (apply-okta.sh does).',
      }],
    });
  }
}
