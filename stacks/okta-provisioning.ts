import type { Construct } from 'constructs';
import type { ITerraformDependable, ITerraformIterator } from 'cdktn';
import { AppConnection } from './gen/okta/app-connection';
import { AppFeatures } from './gen/okta/app-features';

// okta_app_connection and okta_app_features (okta/okta >= 6.6.0): SCIM
// provisioning of an app as code, on the generated bindings (stacks/gen/okta).

interface ForEachConfig {
  readonly forEach: ITerraformIterator;
  readonly dependsOn?: ITerraformDependable[];
}

export interface AppConnectionConfig extends ForEachConfig {
  /** The app's id. */
  readonly id: string;
  readonly baseUrl: string;
  /** The SCIM bearer token (a sensitive variable, never a literal). */
  readonly token: string;
}

/** The app's provisioning connection: the SCIM base URL and token, activated. */
export class OktaAppConnection extends AppConnection {
  constructor(scope: Construct, id: string, config: AppConnectionConfig) {
    super(scope, id, {
      forEach: config.forEach,
      ...(config.dependsOn ? { dependsOn: config.dependsOn } : {}),
      id: config.id,
      baseUrl: config.baseUrl,
      action: 'activate',
      profile: { authScheme: 'TOKEN', token: config.token },
    });
  }
}

export interface AppFeaturesConfig extends ForEachConfig {
  readonly appId: string;
}

/**
 * USER_PROVISIONING "To App": create users, update their profiles, and
 * deactivate them when they are unassigned. Password sync stays off: AWS
 * IAM Identity Center users sign in through Okta.
 */
export class OktaAppUserProvisioning extends AppFeatures {
  constructor(scope: Construct, id: string, config: AppFeaturesConfig) {
    super(scope, id, {
      forEach: config.forEach,
      ...(config.dependsOn ? { dependsOn: config.dependsOn } : {}),
      appId: config.appId,
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycleCreate: { status: 'ENABLED' } },
        update: {
          lifecycleDeactivate: { status: 'ENABLED' },
          profile: { status: 'ENABLED' },
          password: { status: 'DISABLED' },
        },
      },
    });
  }
}
