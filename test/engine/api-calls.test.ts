// The AWS API calls of the engine, counted by moto's request recording
// (Moto.start({ record: true }), engine/api-calls.ts) as bench:engine counts
// them: a tiny generated org planned from an empty state, applied, and planned
// again with the state in place, with exact calls per operation.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { Moto, Workspace, type Engine } from '../../engine/harness';
import { generateOrg, writeOrg } from '../../bench/generate';

jest.setTimeout(120_000);

describeEngine('engine: AWS API calls counted by moto', (engine: () => Engine) => {
  let moto: Moto;
  let ws: Workspace;

  beforeAll(async () => {
    moto = await Moto.start(engine(), { record: true });
  });

  afterAll(async () => {
    ws?.remove();
    await moto?.stop();
  });

  it('counts each step\'s calls per operation: one read per assignment on refresh', async () => {
    ws = new Workspace(engine(), { moto, name: 'api-calls' });
    const files = generateOrg({ groups: 2, accounts: 2, users: 4, permissionSets: 1, grantsPerGroup: 1, accountsPerGrant: 2, membersPerGroup: 2, seed: 1 });
    fs.mkdirSync(path.join(ws.dir, 'access'), { recursive: true });
    writeOrg(path.join(ws.dir, 'access'), files);
    moto.seed([...files.keys()].filter((f) => f.startsWith('groups/')).map((f) => path.basename(f, '.yaml')));
    await ws.synth();
    const a = Object.keys(ws.config('aws').locals.account_assignments as object).length;
    expect(a).toBeGreaterThan(0);
    const stack = ws.stack('aws').init();

    let mark = moto.callMark();
    const p = stack.plan('first');
    expect(p.code).toBe(0);
    // The first plan reads only the two data sources.
    expect(moto.apiCalls(mark)).toEqual({ total: 2, unparsed: 0, byOperation: { 'identitystore:ListGroups': 1, 'sso:ListInstances': 1 } });

    mark = moto.callMark();
    stack.apply(p.planFile);
    const apply = moto.apiCalls(mark);
    expect(apply.unparsed).toBe(0);
    expect(apply.byOperation['sso:CreateAccountAssignment']).toBe(a);
    expect(apply.byOperation['sso:DescribeAccountAssignmentCreationStatus']).toBe(a);
    // The provider lists the assignments before the create (is it there?) and reads it back after.
    expect(apply.byOperation['sso:ListAccountAssignments']).toBe(2 * a);

    mark = moto.callMark();
    const again = stack.tofu(['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode']);
    expect(again.code).toBe(0);
    const refresh = moto.apiCalls(mark);
    expect(refresh.unparsed).toBe(0);
    expect(refresh.byOperation['sso:ListAccountAssignments']).toBe(a);
    expect(refresh.byOperation['sso:ListInstances']).toBe(1);
    expect(refresh.byOperation['identitystore:ListGroups']).toBe(1);
    expect(refresh.byOperation['sso:DescribePermissionSet']).toBe(refresh.byOperation['sso:ListTagsForResource']);
    // Nothing is written on a plan.
    expect(Object.keys(refresh.byOperation).filter((op) => /:(Create|Delete|Put|Attach|Detach|Provision|Tag|Untag|Update)/.test(op))).toEqual([]);
  });
});
