import * as fs from 'node:fs';
import * as path from 'node:path';
import { OKTA_BINDINGS_DIR, oktaBindingFiles } from '../../stacks/tools/bindings';
import { REPO_ROOT } from '../support/helpers';

function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));
}

describe('the okta provider bindings (stacks/gen/okta)', () => {
  const generated = oktaBindingFiles(REPO_ROOT);
  const dir = path.join(REPO_ROOT, OKTA_BINDINGS_DIR);

  it('holds exactly the generated files (run npm run generate)', () => {
    expect(walk(dir).sort()).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])('%s is up to date (run npm run generate)', (rel) => {
    expect(fs.readFileSync(path.join(dir, rel), 'utf8')).toBe(generated.get(rel));
  });
});
