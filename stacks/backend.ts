import { LocalBackend, S3Backend, type TerraformStack } from 'cdktn';
import type { Backend } from '../src/model/types';

/** Where a stack keeps its state; local state lives next to the repository root, never inside the output directory. */
export interface BackendSpec {
  readonly backend: Backend;
  /** Path from a stack's working directory (<out>/stacks/<stack>) to the directory that holds local state files. */
  readonly localStateDir: string;
}

export function localStatePath(spec: BackendSpec, stack: string): string {
  return `${spec.localStateDir}/terraform.${stack}.tfstate`;
}

export function s3StateKey(prefix: string, stack: string): string {
  return `${prefix}${stack}/terraform.tfstate`;
}

/** Local state by default; S3 with server-side encryption and S3-native locking (use_lockfile), one key per stack. */
export function addBackend(stack: TerraformStack, name: string, spec: BackendSpec): void {
  const b = spec.backend;
  if (b.type === 'local') {
    new LocalBackend(stack, { path: localStatePath(spec, name) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: b.bucket,
    key: s3StateKey(b.keyPrefix, name),
    region: b.region,
    encrypt: true,
    ...(b.kmsKeyId !== undefined ? { kmsKeyId: b.kmsKeyId } : {}),
  });
  // S3-native locking; DynamoDB locking is deprecated in favour of it. An override, not cdktn's useLockfile option:
  // that option makes synth refuse the stack unless it declares a required Terraform/OpenTofu version >= 1.10.
  s3.addOverride('use_lockfile', true);
}

