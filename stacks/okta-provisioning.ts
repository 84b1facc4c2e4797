import type { Construct } from 'constructs';
import { RawOktaResource, type RawResourceConfig } from './raw-resource';

// okta_app_connection and okta_app_features (okta/okta >= 6.6.0): SCIM
// provisioning of an app as code.

export interface AppConnectionConfig extends RawResourceConfig {
  /** The app's id. */
  readonly id: string;
  readonly baseUrl: string;
  /** The SCIM bearer token (a sensitive variable, never a literal). */
  readonly token: string;
}

/** The app's provisioning connection: the SCIM base URL and token, activated. */
export class OktaAppConnection extends RawOktaResource {
  constructor(scope: Construct, id: string, config: AppConnectionConfig) {
    super(scope, id, 'okta_app_connection', config, {
      id: config.id,
      base_url: config.baseUrl,
      action: 'activate',
      profile: { auth_scheme: 'TOKEN', token: config.token },
    });
  }
}

export interface AppFeaturesConfig extends RawResourceConfig {
  readonly appId: string;
}

/**
 * USER_PROVISIONING "To App": create users, update their profiles, and
 * deactivate them when they are unassigned. Password sync stays off: AWS
 * IAM Identity Center users sign in through Okta.
 */
export class OktaAppUserProvisioning extends RawOktaResource {
  constructor(scope: Construct, id: string, config: AppFeaturesConfig) {
    super(scope, id, 'okta_app_features', config, {
      app_id: config.appId,
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycle_create: { status: 'ENABLED' } },
        update: {
          lifecycle_deactivate: { status: 'ENABLED' },
          profile: { status: 'ENABLED' },
          password: { status: 'DISABLED' },
        },
      },
    });
  }
}
