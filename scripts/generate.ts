// Writes every generated file from its source of truth in code:
//   schemas/<kind>.schema.json  from src/schema/*.ts
//   docs/errors.md              from src/codes.ts
//   stacks/gen/okta/            from engine/okta-schema/schema.json (stacks/tools/bindings.ts)
//   stacks/gen/aws/             from stacks/tools/aws-schema.json (stacks/tools/bindings.ts; the
//                               extract itself is made from the engine by scripts/aws-schema.ts)
// Run `npm run generate` after changing any of them; a test fails while they drift.

import * as path from 'node:path';
import { AWS_BINDINGS_DIR, awsBindingFiles, OKTA_BINDINGS_DIR, oktaBindingFiles } from '../stacks/tools/bindings';
import { generatedFiles } from '../src/generated';
import { replaceDirAtomic, writeFileAtomic } from '../src/util/fs';

const ROOT = process.cwd();

function main(): void {
  for (const [file, content] of generatedFiles()) {
    writeFileAtomic(file, content);
    process.stdout.write(`wrote ${file}\n`);
  }
  for (const [dir, files] of [[OKTA_BINDINGS_DIR, oktaBindingFiles], [AWS_BINDINGS_DIR, awsBindingFiles]] as const) {
    const bindings = files(ROOT);
    const left = replaceDirAtomic(path.join(ROOT, dir), [...bindings].map(([rel, content]) => ({ rel, content })));
    if (left !== undefined) process.stderr.write(`could not remove ${left}\n`);
    process.stdout.write(`wrote ${dir}/ (${bindings.size} files)\n`);
  }
}

main();
