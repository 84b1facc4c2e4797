// Writes stacks/tools/aws-schema.json, the extract of the hashicorp/aws schema
// the AWS bindings (stacks/gen/aws/) are generated from: `tofu providers schema
// -json` of the provider the engine builds, cut to the provider block and the
// types the stacks use (stacks/tools/bindings.ts, stacks/tools/aws-schema.ts).
// Needs the engine (bash engine/build.sh). Run it after changing the aws pin
// in src/synth/versions.json or the types in stacks/tools/bindings.ts, then
// `npm run generate`:
//
//   npm run -s build:tools && node dist-tools/scripts/aws-schema.js
//
// test/engine/aws-schema.test.ts fails while the committed extract differs.

import * as path from 'node:path';
import { findEngine, HOW_TO_BUILD } from '../engine/harness';
import { AWS_SCHEMA_FILE, awsSchemaText } from '../stacks/tools/aws-schema';
import { writeFileAtomic } from '../src/util/fs';

function main(): void {
  const found = findEngine();
  if (!('engine' in found)) {
    process.stderr.write(`aws-schema: no engine (${found.missing}); build it: ${HOW_TO_BUILD}\n`);
    process.exit(1);
  }
  writeFileAtomic(path.join(process.cwd(), AWS_SCHEMA_FILE), awsSchemaText(found.engine));
  process.stdout.write(`wrote ${AWS_SCHEMA_FILE}\n`);
}

main();
