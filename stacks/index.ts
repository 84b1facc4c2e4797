import { App } from 'cdktn';
import { stackLayouts, type Layout } from '../src/synth/layout';
import { AwsStack } from './aws';
import type { BackendSpec } from './backend';
import { OktaStack } from './okta';
import { OktaScimStack } from './okta-scim';

export type { BackendSpec } from './backend';

/** Adds every stack of a layout to a cdktf app: "okta", "okta-scim" (with SCIM as code), "aws", then one per AWS shard. */
export function addStacks(app: App, layout: Layout, backend: BackendSpec): string[] {
  new OktaStack(app, layout.okta, backend);
  if (layout.oktaScim) new OktaScimStack(app, layout.oktaScim, backend);
  for (const aws of layout.aws) new AwsStack(app, aws, backend);
  return stackLayouts(layout).map((l) => l.stack);
}

/** Synthesizes a layout into `outdir` (stacks/<stack>/cdk.tf.json and manifest.json), exactly as `cdktf synth` does. */
export function synthesizeLayout(layout: Layout, backend: BackendSpec, outdir: string): string[] {
  const app = new App({ outdir, skipValidation: false });
  const stacks = addStacks(app, layout, backend);
  app.synth();
  return stacks;
}
