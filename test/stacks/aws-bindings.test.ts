import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_BINDINGS_DIR, awsBindingFiles } from '../../stacks/tools/bindings';

/** The repository root: the nearest folder above this file with a package.json (wherever test/ files move). */
const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));
}

describe('the aws provider bindings (stacks/gen/aws)', () => {
  const generated = awsBindingFiles(REPO_ROOT);
  const dir = path.join(REPO_ROOT, AWS_BINDINGS_DIR);

  it('holds exactly the generated files (run npm run generate)', () => {
    expect(walk(dir).sort()).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])('%s is up to date (run npm run generate)', (rel) => {
    expect(fs.readFileSync(path.join(dir, rel), 'utf8')).toBe(generated.get(rel));
  });

  it('the stacks bind no aws provider but these (no prebuilt @cdktn/provider-aws)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('@cdktn/provider-aws');
  });
});
