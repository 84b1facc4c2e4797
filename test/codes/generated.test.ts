import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES } from '../../src/codes';
import { generatedFiles } from '../../src/generated';
import { classify } from '../../src/load/classify';
import { schemaFileName } from '../../src/schema';
import { REPO_ROOT } from '../support/helpers';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('generated files', () => {
  it.each([...generatedFiles().keys()])('%s is up to date (run npm run generate)', (file) => {
    expect(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).toBe(generatedFiles().get(file));
  });

  it('documents every diagnostic code in docs/errors.md', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    for (const code of Object.keys(CODES)) expect(doc).toContain(`## ${code}\n`);
  });

  it('uses every catalogued code somewhere in src/', () => {
    const source = walk(path.join(REPO_ROOT, 'src'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('codes.ts'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(CODES).filter((c) => !source.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });
});

describe('the example org', () => {
  it('points every file at its schema for editors', () => {
    const root = path.join(REPO_ROOT, 'access');
    const files = walk(root).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const f of files) {
      const rel = path.relative(root, f).split(path.sep).join('/');
      const kind = classify(rel)!;
      const depth = rel.split('/').length - 1;
      const expected = `# yaml-language-server: $schema=${'../'.repeat(depth + 1)}schemas/${schemaFileName(kind)}`;
      expect([rel, fs.readFileSync(f, 'utf8').split('\n')[0]]).toEqual([rel, expected]);
    }
  });
});
