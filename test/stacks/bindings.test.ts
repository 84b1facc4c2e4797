import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_BINDINGS_DIR, awsBindingFiles, OKTA_BINDINGS_DIR, oktaBindingFiles, walk } from '../../stacks/tools/bindings';
import { REPO_ROOT } from '../support/helpers';

// The provider bindings are generated (npm run generate) from the schemas:
// okta's from engine/okta-schema/schema.json, aws's from the extract of the
// engine's provider (stacks/tools/aws-schema.json). These fail on drift.
describe.each([
  ['okta', OKTA_BINDINGS_DIR, oktaBindingFiles],
  ['aws', AWS_BINDINGS_DIR, awsBindingFiles],
])('the %s provider bindings', (_provider, rel, generate) => {
  const generated = generate(REPO_ROOT);
  const dir = path.join(REPO_ROOT, rel);

  it(`${rel} holds exactly the generated files (run npm run generate)`, () => {
    expect(walk(dir).sort()).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])(`${rel}/%s is up to date (run npm run generate)`, (file) => {
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(generated.get(file));
  });
});

describe('the aws provider', () => {
  it('the stacks bind no aws provider but the generated bindings (no prebuilt @cdktn/provider-aws)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('@cdktn/provider-aws');
  });
});
