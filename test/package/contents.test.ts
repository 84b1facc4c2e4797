import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// `npm pack` ships the CLI and what it runs, nothing the tests, benches or
// generators use (tsconfig.build.json against tsconfig.tools.json).
const ROOT = path.resolve(__dirname, '..', '..');

describe('the package', () => {
  const files = (): string[] => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
  };

  it('holds the CLI, the stacks and their generated bindings, and no test machinery', () => {
    const all = files();
    expect(['bin/accessctl', 'dist/src/cli/bin.js', 'dist/stacks/index.js', 'dist/stacks/gen/okta/group/index.js', 'package.json',
      'dist/src/aws/managed-policy-documents.json', 'dist/src/aws/action-catalogue.json', 'dist/src/aws/action-catalogue.LICENSE'].filter((f) => !all.includes(f))).toEqual([]);
    const machinery = all.filter((f) => /^dist\/(bench|engine|scripts|test)\//.test(f) || f.startsWith('dist/stacks/tools/') || f.startsWith('dist-tools/'));
    expect(machinery).toEqual([]);
    const allowed = ['LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json', 'schemas'];
    expect([...new Set(all.map((f) => f.split('/')[0]!))].filter((t) => !allowed.includes(t))).toEqual([]);
  });
});
