// The extract the AWS bindings are generated from (stacks/tools/aws-schema.json)
// is what the engine's hashicorp/aws says for the types the stacks use: a
// change of the aws pin (src/synth/versions.json) or of the types
// (stacks/tools/bindings.ts) without a new extract fails here. To fix it:
//   npm run -s build:tools && node dist-tools/scripts/aws-schema.js && npm run generate

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { REPO_ROOT, type Engine } from '../../engine/harness';
import { AWS_SCHEMA_FILE, awsSchemaText } from '../../stacks/tools/aws-schema';

jest.setTimeout(600_000);

describeEngine('engine: the aws schema extract of the bindings', (engine: () => Engine) => {
  it(`${AWS_SCHEMA_FILE} equals the engine's hashicorp/aws schema for the stacks' types`, () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, AWS_SCHEMA_FILE), 'utf8');
    const expected = awsSchemaText(engine());
    expect(JSON.parse(committed)).toEqual(JSON.parse(expected));
    expect(committed).toBe(expected);
  });
});
