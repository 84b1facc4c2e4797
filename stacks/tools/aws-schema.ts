// The extract of the hashicorp/aws provider's schema that the AWS bindings
// (stacks/gen/aws/) are generated from: `tofu providers schema -json` of the
// provider the engine builds (src/synth/versions.json, engine/build.sh), cut to
// the provider block and the types of AWS_RESOURCES and AWS_DATA_SOURCES
// (stacks/tools/bindings.ts). scripts/aws-schema.ts writes it to
// stacks/tools/aws-schema.json; test/engine/aws-schema.test.ts fails while the
// committed extract differs from what the engine's provider says.
// Only that script and that test load this file: synth never does.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { engineLockFile, Stack, stackLock, type Engine } from '../../engine/harness';
import versions from '../../src/synth/versions.json';
import { AWS_DATA_SOURCES, AWS_RESOURCES, AWS_SCHEMA_FILE } from './bindings';

export { AWS_SCHEMA_FILE };

export const AWS_SCHEMA_NOTE =
  `tofu providers schema -json of hashicorp/aws ${versions.providers.aws.build.installAs} as the engine builds it (src/synth/versions.json), ` +
  'cut to the provider block and the types of stacks/tools/bindings.ts; made by `npm run -s build:tools && node dist-tools/scripts/aws-schema.js`; do not edit';

type Schemas = Record<string, { provider?: unknown; resource_schemas?: Record<string, unknown>; data_source_schemas?: Record<string, unknown> }>;

function pick(all: Record<string, unknown> | undefined, names: readonly string[], what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of [...names].sort()) {
    if (!all || !(n in all)) throw new Error(`the engine's hashicorp/aws has no ${what} ${n}`);
    out[n] = all[n];
  }
  return out;
}

/** The extract from the engine: the aws provider initialised from its mirror, with the lock file CI uses. */
export function extractAwsSchema(engine: Engine): Record<string, unknown> {
  const { source, build } = versions.providers.aws;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-aws-schema-'));
  try {
    // Named as a synthesized stack is, so that stack_lock cuts the engine's lock file to it.
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), `${JSON.stringify({ terraform: { required_providers: { aws: { source, version: build.installAs } } } }, null, 2)}\n`);
    stackLock(engineLockFile(engine), dir);
    const all = new Stack(engine, dir, 'aws-schema').init({ backend: false }).schemas() as Schemas;
    const keys = Object.keys(all).filter((k) => k.toLowerCase().endsWith(`/${source.toLowerCase()}`));
    if (keys.length !== 1) throw new Error(`expected one ${source} in the engine's schemas, got: ${Object.keys(all).join(', ')}`);
    const aws = all[keys[0]!]!;
    return {
      '//': AWS_SCHEMA_NOTE,
      format_version: '1.0',
      provider_schemas: {
        [keys[0]!]: {
          provider: aws.provider,
          resource_schemas: pick(aws.resource_schemas, AWS_RESOURCES, 'resource'),
          data_source_schemas: pick(aws.data_source_schemas, AWS_DATA_SOURCES, 'data source'),
        },
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The extract as committed in AWS_SCHEMA_FILE. */
export function awsSchemaText(engine: Engine): string {
  return `${JSON.stringify(extractAwsSchema(engine), null, 2)}\n`;
}
