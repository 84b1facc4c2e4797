// Copies the data files the compiled code reads at run time (src/aws/*.json
// read through fs, and the catalogue's licence) next to the compiled modules:
//   node scripts/copy-data.js dist        after tsc -p tsconfig.build.json
//   node scripts/copy-data.js dist-tools  after tsc -p tsconfig.tools.json
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const FILES = ['managed-policy-documents.json', 'action-catalogue.json', 'action-catalogue.LICENSE'];
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/copy-data.js OUT_DIR\n');
  process.exit(2);
}
const target = path.join(out, 'src', 'aws');
fs.mkdirSync(target, { recursive: true });
for (const f of FILES) fs.copyFileSync(path.join('src', 'aws', f), path.join(target, f));
