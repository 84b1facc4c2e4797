import type { TerraformElement, TerraformStack } from 'cdktf';
import type { MovedBlock } from '../src/synth/layout';

/** Gives a construct the Terraform name `this` (or another): addresses read type.this["key"]. */
export function named<T extends TerraformElement>(element: T, logicalId = 'this'): T {
  element.overrideLogicalId(logicalId);
  return element;
}

/** Replaces the exact version the bindings pin with a constraint users' CI can satisfy, and spells the source out. */
export function setProviderVersion(stack: TerraformStack, provider: string, source: string, constraint: string): void {
  stack.addOverride(`terraform.required_providers.${provider}.source`, source);
  stack.addOverride(`terraform.required_providers.${provider}.version`, constraint);
}

/** Terraform `moved` blocks: a rename moves state instead of destroying and re-creating. */
export function addMovedBlocks(stack: TerraformStack, moved: readonly MovedBlock[]): void {
  if (moved.length > 0) stack.addOverride('moved', moved.map((m) => ({ from: m.from, to: m.to })));
}
