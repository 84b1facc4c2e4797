import type { Construct } from 'constructs';
import { RawOktaResource, type RawResourceConfig } from './raw-resource';

export interface PushGroupConfig extends RawResourceConfig {
  readonly appId: string;
  readonly sourceGroupId: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
  readonly deleteTargetGroupOnDestroy: boolean;
}

/**
 * okta_push_group (okta/okta >= 6.6.0): Group Push of one Okta group to an
 * app. Okta pushes only members assigned to the app, so callers make it
 * depend on the app's assignment.
 */
export class OktaPushGroup extends RawOktaResource {
  constructor(scope: Construct, id: string, config: PushGroupConfig) {
    super(scope, id, 'okta_push_group', config, {
      app_id: config.appId,
      source_group_id: config.sourceGroupId,
      status: config.status,
      delete_target_group_on_destroy: config.deleteTargetGroupOnDestroy,
    });
  }
}
