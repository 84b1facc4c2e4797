// The Identity Store lookup under the real engine, with answers AWS gives
// rarely or never: the AWS stack under `tofu test` with the aws provider
// mocked and its two data sources overridden. The Identity Store refuses a
// second group with a name it holds, yet the lookup must never fail a plan with
// "Duplicate object key": it names the ambiguous group instead.

import { describeEngine } from '../../engine/jest';
import { Workspace, type Engine } from '../../engine/harness';
import { EXAMPLE_ORG } from '../../engine/orgs';
import { nullsFor, overrideData } from '../../engine/tftest';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(600_000);

type ObjectType = [string, unknown];

/** An Identity Store group id of the form the provider validates (a UUID). */
const gid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function testFile(groupType: ObjectType, groups: Array<[string, string]>): string {
  const blank = nullsFor(groupType);
  const values = groups.map(([name, id]) => ({ ...blank, display_name: name, group_id: id, identity_store_id: 'd-1234567890' }));
  return `mock_provider "aws" {
  # Mocked ids must still pass the provider's validation of the ARNs the attachments and assignments take.
  mock_resource "aws_ssoadmin_permission_set" {
    defaults = {
      arn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef"
    }
  }
}

${overrideData('data.aws_ssoadmin_instances.this', { arns: ['arn:aws:sso:::instance/ssoins-1234567890abcdef'], identity_store_ids: ['d-1234567890'] })}
${overrideData('data.aws_identitystore_groups.this', { groups: values })}
run "plan" {
  command = plan
}
`;
}

describeEngine('engine: the Identity Store lookup of the AWS stack', (engine: () => Engine) => {
  let ws: Workspace;
  let groupType: ObjectType;
  let pushed: string[];

  beforeAll(async () => {
    ws = new Workspace(engine(), { name: 'lookup' }).copyFrom(EXAMPLE_ORG);
    await ws.synth();
    const aws = Object.entries(ws.stack('aws').init().schemas()).find(([k]) => k.endsWith('/hashicorp/aws'))![1];
    groupType = aws.data_source_schemas!.aws_identitystore_groups.block.attributes.groups.type[1] as ObjectType;
    pushed = loadAccessDir('access', ws.dir).model!.groups.filter((g) => g.pushedToAws).map((g) => g.name);
  });

  afterAll(() => ws?.remove());

  it('plans with every group found once', () => {
    const r = ws.stack('aws').test({ 'lookup.tftest.hcl': testFile(groupType, pushed.map((g, i) => [g, gid(i)])) });
    expect([r.code, r.stdout.split('\n').filter((l) => l.includes('run "plan"')).map((l) => l.trim())]).toEqual([0, ['run "plan"... pass']]);
  });

  it('two groups with one display name: the precondition names the group and both ids, never "Duplicate object key"', () => {
    const groups: Array<[string, string]> = [...pushed.map((g, i): [string, string] => [g, gid(i)]), ['aws-security-auditors', gid(99)]];
    const r = ws.stack('aws').test({ 'lookup.tftest.hcl': testFile(groupType, groups) });
    const out = `${r.stdout}\n${r.stderr}`.replace(/\s+/g, ' ');
    expect(r.code).toBe(1);
    expect(out).not.toContain('Duplicate object key');
    // The one ambiguous group fails its assignments, and nothing else does.
    expect(out.match(/Error: [^:]+/g)!.every((e) => e.startsWith('Error: Resource precondition failed'))).toBe(true);
    const index = pushed.indexOf('aws-security-auditors');
    expect(out).toContain(`The AWS Identity Store holds 2 groups named "aws-security-auditors" (ids ${gid(index)}, ${gid(99)}): the assignment cannot say which one it means.`);
  });
});
