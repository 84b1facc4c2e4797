// Test 1 of the engine suite: the real engine initialises and validates every
// stack accessctl writes: the example org, the golden fixtures, and one org
// that uses every feature (shards, inline policies, managed and customer
// managed boundaries, customer managed policies, imports, renames and a new
// group that waits for its SCIM push).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { Stack, Workspace, type Engine } from '../../engine/harness';
import { EXAMPLE_ORG, everyFeature, newGroup, renameGroupAndPermissionSet } from '../../engine/orgs';

jest.setTimeout(600_000);

function groupFiles(ws: Workspace): string[] {
  return fs.readdirSync(path.join(ws.dir, 'access', 'groups')).map((f) => `groups/${f}`).sort();
}

function validateAll(ws: Workspace, stacks: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of stacks) {
    const v = ws.stack(s).init({ backend: false }).validate();
    out[s] = v.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.detail ? `: ${d.detail}` : ''}`);
    if (!v.valid && out[s]!.length === 0) out[s] = ['invalid'];
  }
  return out;
}

describeEngine('engine: init and validate', (engine: () => Engine) => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('validates every stack of the example org', async () => {
    ws = new Workspace(engine(), { name: 'example' }).copyFrom(EXAMPLE_ORG);
    const stacks = await ws.synth();
    expect(stacks).toEqual(['aws', 'okta', 'okta-scim']);
    expect(validateAll(ws, stacks)).toEqual({ aws: [], okta: [], 'okta-scim': [] });
  });

  it('validates the org that uses every feature, with renames and a new group against its base', async () => {
    ws = new Workspace(engine(), { name: 'full' }).copyFrom(EXAMPLE_ORG);
    ws.write(everyFeature((rel) => ws.read(rel)));
    const base = ws.commit('every feature');
    ws.write(renameGroupAndPermissionSet((rel) => ws.read(rel), groupFiles(ws))).write(newGroup());
    const stacks = await ws.synth({ base });
    expect(stacks).toEqual(['aws', 'aws-prod', 'okta', 'okta-scim']);
    const aws = ws.config('aws');
    // The features are really there: the engine validated them, not an empty stack.
    expect(Object.keys(aws.resource).sort()).toEqual([
      'aws_ssoadmin_account_assignment',
      'aws_ssoadmin_customer_managed_policy_attachment',
      'aws_ssoadmin_managed_policy_attachment',
      'aws_ssoadmin_permission_set',
      'aws_ssoadmin_permission_set_inline_policy',
      'aws_ssoadmin_permissions_boundary_attachment',
    ]);
    expect(Object.keys(aws.resource.aws_ssoadmin_permissions_boundary_attachment.this.for_each).sort()).toEqual(['BoundedOperator', 'PowerOperator']);
    expect(aws.moved.length).toBeGreaterThan(0);
    expect(ws.config('aws-prod').moved.length).toBeGreaterThan(0);
    expect(ws.config('okta').moved.length).toBeGreaterThan(0);
    expect(aws.locals.new_groups).toEqual(['aws-data-analysts']);
    expect(ws.config('okta').import).toEqual([{ to: 'okta_group.this["okta-engineering"]', id: '00g3eng0000000000003' }]);
    expect(ws.config('aws-prod').import).toHaveLength(1);
    expect(validateAll(ws, stacks)).toEqual({ aws: [], 'aws-prod': [], okta: [], 'okta-scim': [] });
  });

  it('validates every golden Terraform file', () => {
    const goldenRoot = path.join(__dirname, '..', 'golden');
    const files = fs.readdirSync(goldenRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    const results: Record<string, string[]> = {};
    for (const rel of files) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-golden-'));
      try {
        fs.writeFileSync(path.join(dir, 'main.tf.json'), fs.readFileSync(path.join(goldenRoot, rel)));
        results[rel] = new Stack(engine(), dir, rel).init({ backend: false }).validate().diagnostics.map((d) => `${d.severity}: ${d.summary}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(results).toEqual(Object.fromEntries(files.map((f) => [f, []])));
  });
});
