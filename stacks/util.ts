import type { TerraformElement, TerraformStack } from 'cdktn';
import { ENGINE_REQUIRED_VERSION, type ImportBlock, type MovedBlock } from '../src/synth/layout';

/** Gives a construct the Terraform name `this` (or another): addresses read type.this["key"]. */
export function named<T extends TerraformElement>(element: T, logicalId = 'this'): T {
  element.overrideLogicalId(logicalId);
  return element;
}


/** Replaces the exact version the bindings pin with a constraint users' CI can satisfy, and spells the source out. */
export function setProviderVersion(stack: TerraformStack, provider: string, source: string, constraint: string): void {
  // Terraform 1.10 / OpenTofu 1.10 added S3-native state locking (use_lockfile), which the S3 backend relies on.
  stack.addOverride('terraform.required_version', ENGINE_REQUIRED_VERSION);
  stack.addOverride(`terraform.required_providers.${provider}.source`, source);
  stack.addOverride(`terraform.required_providers.${provider}.version`, constraint);
}

/** Terraform `moved` blocks: a rename moves state instead of destroying and re-creating. */
export function addMovedBlocks(stack: TerraformStack, moved: readonly MovedBlock[]): void {
  if (moved.length > 0) stack.addOverride('moved', moved.map((m) => ({ from: m.from, to: m.to })));
}

/** Terraform import blocks: the first apply adopts existing objects instead of creating them. */
export function addImportBlocks(stack: TerraformStack, imports: readonly (ImportBlock | Record<string, string>)[]): void {
  if (imports.length > 0) stack.addOverride('import', imports.map((i) => ({ ...i })));
}
