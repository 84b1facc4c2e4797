import { TerraformResource, type ITerraformIterator } from 'cdktf';
import type { Construct } from 'constructs';

export interface PushGroupConfig {
  readonly forEach: ITerraformIterator;
  readonly appId: string;
  readonly sourceGroupId: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
  readonly deleteTargetGroupOnDestroy: boolean;
}

/**
 * okta_push_group (okta/okta >= 6.6.0): Group Push of one Okta group to an
 * app. The prebuilt bindings stop at provider 4.20, so this is the escape
 * hatch: a raw TerraformResource with the arguments the provider documents
 * (app_id, source_group_id, status, delete_target_group_on_destroy).
 */
export class OktaPushGroup extends TerraformResource {
  static readonly tfResourceType = 'okta_push_group';

  constructor(scope: Construct, id: string, private readonly config: PushGroupConfig) {
    super(scope, id, {
      terraformResourceType: OktaPushGroup.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'okta' },
      forEach: config.forEach,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      app_id: this.config.appId,
      source_group_id: this.config.sourceGroupId,
      status: this.config.status,
      delete_target_group_on_destroy: this.config.deleteTargetGroupOnDestroy,
    };
  }
}
