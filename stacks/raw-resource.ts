import { TerraformResource, type ITerraformDependable, type ITerraformIterator } from 'cdktf';
import type { Construct } from 'constructs';

export interface RawResourceConfig {
  readonly forEach: ITerraformIterator;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A resource of the okta provider that the prebuilt bindings (provider 4.20)
 * lack: its arguments are written as the provider's schema names them
 * (engine/okta-schema/schema.json holds the 6.6.0 schemas they are checked
 * against).
 */
export class RawOktaResource extends TerraformResource {
  constructor(scope: Construct, id: string, type: string, config: RawResourceConfig, private readonly attributes: Record<string, unknown>) {
    super(scope, id, {
      terraformResourceType: type,
      terraformGeneratorMetadata: { providerName: 'okta' },
      forEach: config.forEach,
      ...(config.dependsOn ? { dependsOn: config.dependsOn } : {}),
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}
