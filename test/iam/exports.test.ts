import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate } from '../../src/iam/evaluate';
import { PolicyExportError, readCustomerManagedExports, readPolicyExports } from '../../src/iam/exports';

// src/iam/exports.ts: the evaluator's options for one account, from exports of the AWS CLI v2.

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const S3_READ = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
const DENY_IAM = doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' });

const policy = (account: string, name: string, policyPath: string, document: unknown) => ({
  PolicyName: name,
  Path: policyPath,
  Arn: `arn:aws:iam::${account}:policy${policyPath}${name}`,
  DefaultVersionId: 'v1',
  PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true }],
});
const scp = (id: string, name: string, document: unknown) => ({ Policy: { PolicySummary: { Id: id, Name: name, Type: 'SERVICE_CONTROL_POLICY' }, Content: JSON.stringify(document) } });
const attached = (...ids: string[]) => ({ Policies: ids.map((Id) => ({ Id, Name: Id, Type: 'SERVICE_CONTROL_POLICY' })) });
const parent = (Id: string, Type: string) => ({ Parents: [{ Id, Type }] });

/** 111111111111 under OU ou-a1 (deny-iam) under the root; 022222222222, the management account, under the root. */
const FILES: Record<string, unknown> = {
  'iam/111111111111.json': { Policies: [policy('111111111111', 'team', '/', S3_READ), policy('111111111111', 'team', '/ops/', ALL)] },
  'organizations/organization.json': { Organization: { MasterAccountId: '022222222222' } },
  'organizations/roots.json': { Roots: [{ Id: 'r-root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] },
  'parents/111111111111.json': parent('ou-a1', 'ORGANIZATIONAL_UNIT'),
  'parents/ou-a1.json': parent('r-root', 'ROOT'),
  'parents/022222222222.json': parent('r-root', 'ROOT'),
  'organizations/targets/r-root.json': attached('p-full'),
  'organizations/targets/ou-a1.json': attached('p-full', 'p-noiam'),
  'organizations/targets/111111111111.json': attached('p-full'),
  'organizations/targets/022222222222.json': attached('p-noiam'),
  'organizations/policies/p-full.json': scp('p-full', 'FullAWSAccess', ALL),
  'organizations/policies/p-noiam.json': scp('p-noiam', 'deny-iam', DENY_IAM),
};

function exportsDir(edit: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-exports-'));
  for (const [rel, data] of Object.entries({ ...FILES, ...edit })) {
    if (data === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), typeof data === 'string' ? data : JSON.stringify(data));
  }
  return dir;
}

describe('readPolicyExports', () => {
  it('gives each account its customer managed documents by path and name, and its SCP levels from the root down', () => {
    const e = readPolicyExports(exportsDir(), 'x');
    expect([...e.customerManaged.keys()]).toEqual(['111111111111']);
    expect([...e.customerManaged.get('111111111111')!.documents]).toEqual([['customer-managed:/team', S3_READ], ['customer-managed:/ops/team', ALL]]);
    const o = e.optionsFor('111111111111');
    expect(o.customerManaged!({ name: 'team' })).toEqual(S3_READ);
    expect(o.customerManaged!({ name: 'team', path: '/ops/' })).toEqual(ALL);
    expect(o.customerManaged!({ name: 'other' })).toBeUndefined();
    expect(o.scps).toEqual([
      [{ name: 'FullAWSAccess', document: ALL }],
      [{ name: 'FullAWSAccess', document: ALL }, { name: 'deny-iam', document: DENY_IAM }],
      [{ name: 'FullAWSAccess', document: ALL }],
    ]);
    // Read once: the same options (and so the same compiled documents) for every evaluation on the account.
    expect(e.optionsFor('111111111111')).toBe(o);
    expect(evaluate({ action: 'iam:CreateUser' }, { customerManaged: [{ name: 'team', path: '/ops/' }] }, o)).toEqual({
      decision: 'denied', by: { policy: 'scp:deny-iam', statement: 0 }, reason: 'explicitly denied by scp:deny-iam statement 0',
    });
  });

  it('leaves the management account and accounts without exports alone, and names an account the organizations export lacks', () => {
    const e = readPolicyExports(exportsDir(), 'x');
    expect(e.optionsFor('022222222222')).toEqual({});
    expect(e.scpGap('022222222222')).toBeUndefined();
    expect(e.optionsFor('033333333333')).toEqual({});
    expect(e.scpGap('033333333333')).toBe('it is not in the organizations export (no x/parents/033333333333.json)');
    const none = readPolicyExports(exportsDir(Object.fromEntries(Object.keys(FILES).map((k) => [k, null]))), 'x');
    expect([none.customerManaged.size, none.organizations, none.optionsFor('111111111111'), none.scpGap('033333333333')]).toEqual([0, false, {}, undefined]);
  });

  it('throws PolicyExportError with the file and the JSON path', () => {
    const error = (edit: Record<string, unknown>): unknown => {
      try {
        readPolicyExports(exportsDir(edit), 'x');
      } catch (e) {
        return e instanceof PolicyExportError ? [e.code, e.file, e.message] : e;
      }
      return 'no error';
    };
    expect(error({ 'iam/111111111111.json': { Policies: [policy('111111111111', 'team', '/', S3_READ), policy('111111111111', 'team', '/', ALL)] } }))
      .toEqual(['ACC137', 'x/iam/111111111111.json', 'Policies[1].PolicyName: /team is listed twice']);
    expect(error({ 'iam/111111111111.json': { Policies: [policy('111111111111', 'team', 'ops', S3_READ)] } }))
      .toEqual(['ACC137', 'x/iam/111111111111.json', 'Policies[0].Path: "ops" is not an IAM path (it starts and ends with /)']);
    const notDefault = { ...policy('111111111111', 'team', '/', S3_READ), PolicyVersionList: [{ Document: S3_READ, VersionId: 'v1', IsDefaultVersion: false }] };
    expect(error({ 'iam/111111111111.json': { Policies: [notDefault] } }))
      .toEqual(['ACC137', 'x/iam/111111111111.json', 'Policies[0].PolicyVersionList[0].IsDefaultVersion: is not true, but DefaultVersionId is v1']);
    expect(error({ 'organizations/roots.json': { Roots: [] } })).toEqual(['ACC137', 'x/organizations/roots.json', 'Roots: expected one root, found 0']);
    expect(error({ 'organizations/organization.json': { Organization: {} } }))
      .toEqual(['ACC137', 'x/organizations/organization.json', 'Organization.MasterAccountId: missing (a string)']);
    expect(error({ 'organizations/policies/p-noiam.json': scp('p-other', 'deny-iam', DENY_IAM) }))
      .toEqual(['ACC137', 'x/organizations/policies/p-noiam.json', 'Policy.PolicySummary.Id: is p-other, but the file is named for p-noiam']);
    expect(error({ 'parents/ou-a1.json': parent('ou-a1', 'ORGANIZATIONAL_UNIT') }))
      .toEqual(['ACC137', 'x/parents/111111111111.json', 'the parents of account 111111111111 do not reach the root r-root within 6 levels']);
    expect(error({ 'parents/ou-a1.json': parent('a-1', 'ACCOUNT') }))
      .toEqual(['ACC137', 'x/parents/ou-a1.json', 'Parents[0].Type: expected ROOT or ORGANIZATIONAL_UNIT, found "ACCOUNT"']);
  });

  it('readCustomerManagedExports reads iam/ alone: a broken organizations export is not its business', () => {
    const dir = exportsDir({ 'organizations/roots.json': '{' });
    expect([...readCustomerManagedExports(dir, 'x').keys()]).toEqual(['111111111111']);
    expect(() => readPolicyExports(dir, 'x')).toThrow('not JSON');
  });
});
