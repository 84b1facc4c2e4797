// Writes every generated file from its source of truth in code:
//   schemas/<kind>.schema.json  from src/schema/*.ts
//   docs/errors.md              from src/codes.ts
// Run `npm run generate` after changing either; a test fails while they drift.

import { generatedFiles } from '../src/generated';
import { writeFileAtomic } from '../src/util/fs';

function main(): void {
  for (const [file, content] of generatedFiles()) {
    writeFileAtomic(file, content);
    process.stdout.write(`wrote ${file}\n`);
  }
}

main();
