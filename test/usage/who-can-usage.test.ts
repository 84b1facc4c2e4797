// who-can --usage FILE (issue 28): each row's last use from the usage file, in text, json and csv.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatUsageFile, type LastUse, type UsageFile } from '../../src/usage/file';
import { run, tempRepo } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';

const ORG: Record<string, string> = {
  'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n',
  'groups/admins.yaml': 'name: admins\nmode: additive\nmembers: [alice@example.com]\napps: [aws]\naws:\n  - { permissionSet: Admin, accounts: [prod] }\n',
  'groups/readers.yaml': 'name: readers\nmode: additive\nmembers: [alice@example.com, bob@example.com]\napps: [aws]\n' +
      'aws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};

const use = (user: string, accountId: string, permissionSet: string, lastUsed: string, eventId: string, eventName = 'GetRoleCredentials'): LastUse =>
  ({ user, accountId, permissionSet, lastUsed, eventId, eventName });

/** alice's Admin (logged as Alice@Example.com) 3 days ago, her dev ReadOnly 114 days ago, bob's prod ReadOnly yesterday; carol holds nothing. */
const FILE: UsageFile = {
  version: 1, generatedAt: '2026-11-23T06:00:00Z', since: '2026-06-01', until: '2026-11-22T18:00:00Z', sources: { files: 3, records: 40, used: 4 },
  lastUse: [
    use('Alice@Example.com', '111111111111', 'Admin', '2026-11-20T09:30:00Z', 'ev-a1'),
    use('alice@example.com', '022222222222', 'ReadOnly', '2026-08-01T10:00:00Z', 'ev-a2', 'Federate'),
    use('bob@example.com', '111111111111', 'ReadOnly', '2026-11-22T11:00:00Z', 'ev-b1'),
    use('carol@example.com', '111111111111', 'Admin', '2026-11-01T00:00:00Z', 'ev-c1'),
  ],
  unmatched: { users: [], roles: [] },
};

let root: string;
beforeAll(() => {
  root = tempRepo(ORG);
  fs.writeFileSync(path.join(root, 'usage.json'), formatUsageFile(FILE));
});

const whoCan = (...args: string[]) => run(['who-can', ...args], root, NOW);

const A1 = { lastUsed: '2026-11-20T09:30:00Z', lastUsedEvent: { eventId: 'ev-a1', eventName: 'GetRoleCredentials' } };
const NEVER = { lastUsed: null, lastUsedEvent: null };
const access = (user: string, account: string, accountId: string, permissionSet: string, via: string, extra: object) =>
  ({ user, account, accountId, permissionSet, via: [via], ...extra });

describe('who-can --usage', () => {
  it('text: a LAST USED column, with calendar days to now, and "never since" the first day the file covers', async () => {
    const r = await whoCan('--usage', 'usage.json');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'USER               ACCOUNT  ACCOUNT ID    PERMISSION SET  VIA      UNTIL  LAST USED',
        'alice@example.com  dev      022222222222  ReadOnly        readers         2026-08-01 (114 days)',
        'alice@example.com  prod     111111111111  Admin           admins          2026-11-20 (3 days)',
        'alice@example.com  prod     111111111111  ReadOnly        readers         never since 2026-06-01',
        'bob@example.com    dev      022222222222  ReadOnly        readers         never since 2026-06-01',
        'bob@example.com    prod     111111111111  ReadOnly        readers         2026-11-22 (1 day)',
        '5 rows',
        '',
      ].join('\n'),
    });
  });

  it('json: lastUsed and lastUsedEvent after the ACCESS fields, null when never used', async () => {
    const r = await whoCan('--usage', 'usage.json', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      access: [
        access('alice@example.com', 'dev', '022222222222', 'ReadOnly', 'readers',
          { lastUsed: '2026-08-01T10:00:00Z', lastUsedEvent: { eventId: 'ev-a2', eventName: 'Federate' } }),
        access('alice@example.com', 'prod', '111111111111', 'Admin', 'admins', A1),
        access('alice@example.com', 'prod', '111111111111', 'ReadOnly', 'readers', NEVER),
        access('bob@example.com', 'dev', '022222222222', 'ReadOnly', 'readers', NEVER),
        access('bob@example.com', 'prod', '111111111111', 'ReadOnly', 'readers',
          { lastUsed: '2026-11-22T11:00:00Z', lastUsedEvent: { eventId: 'ev-b1', eventName: 'GetRoleCredentials' } }),
      ],
    });
    expect(Object.keys(JSON.parse(r.stdout).access[0])).toEqual(['user', 'account', 'accountId', 'permissionSet', 'via', 'lastUsed', 'lastUsedEvent']);
  });

  it('csv: the columns lastUsed and lastUsedEvent, empty when never used', async () => {
    const r = await whoCan('--usage', 'usage.json', '--format', 'csv', '--user', 'bob@example.com');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'user,account,accountId,permissionSet,via,expires,lastUsed,lastUsedEvent',
      'bob@example.com,dev,022222222222,ReadOnly,readers,,,',
      'bob@example.com,prod,111111111111,ReadOnly,readers,,2026-11-22T11:00:00Z,GetRoleCredentials ev-b1',
      '',
    ].join('\r\n'));
  });

  it('combines with --action and the filters: the decision columns, then the usage ones', async () => {
    const r = await whoCan('--usage', 'usage.json', '--action', 'iam:CreateUser', '--account', 'prod', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      access: [access('alice@example.com', 'prod', '111111111111', 'Admin', 'admins', {
        decision: 'allowed', by: { policy: 'AdministratorAccess', statement: 0 }, conditions: [], unknownPolicies: [], ...A1,
      })],
    });
    const t = await whoCan('--usage', 'usage.json', '--action', 'iam:CreateUser', '--user', 'alice@example.com');
    expect(t.stdout).toBe([
      'USER               ACCOUNT  ACCOUNT ID    PERMISSION SET  VIA     UNTIL  DECISION                                    LAST USED',
      'alice@example.com  prod     111111111111  Admin           admins         allowed by AdministratorAccess statement 0  2026-11-20 (3 days)',
      '1 row',
      'alice@example.com: has an AWS IAM Identity Center user (SCIM), as a member of accessctl-aws-users through admins, readers',
      '',
    ].join('\n'));
  });

  it('a file without since says never since its earliest use; one without events says never', async () => {
    fs.writeFileSync(path.join(root, 'nosince.json'), formatUsageFile({ ...FILE, since: null }));
    fs.writeFileSync(path.join(root, 'empty.json'), formatUsageFile({ ...FILE, since: null, until: null, lastUse: [] }));
    const cell = async (file: string): Promise<string[]> =>
      (await whoCan('--usage', file, '--user', 'bob@example.com', '--format', 'csv')).stdout.split('\r\n');
    expect((await whoCan('--usage', 'nosince.json', '--user', 'bob@example.com')).stdout.split('\n')[1])
      .toBe('bob@example.com  dev      022222222222  ReadOnly        readers         never since 2026-08-01');
    expect((await whoCan('--usage', 'empty.json', '--user', 'bob@example.com')).stdout.split('\n').slice(1, 3)).toEqual([
      'bob@example.com  dev      022222222222  ReadOnly        readers         never',
      'bob@example.com  prod     111111111111  ReadOnly        readers         never',
    ]);
    expect((await cell('empty.json')).slice(1, 3)).toEqual(['bob@example.com,dev,022222222222,ReadOnly,readers,,,', 'bob@example.com,prod,111111111111,ReadOnly,readers,,,']);
  });

  it('without --usage the rows are as before: no usage column, field or key', async () => {
    const plain = await whoCan('--format', 'json', '--user', 'bob@example.com');
    expect(JSON.parse(plain.stdout).access[1]).toEqual(access('bob@example.com', 'prod', '111111111111', 'ReadOnly', 'readers', {}));
    expect((await whoCan('--format', 'csv')).stdout.split('\r\n')[0]).toBe('user,account,accountId,permissionSet,via,expires');
    expect((await whoCan()).stdout.split('\n')[0]).toBe('USER               ACCOUNT  ACCOUNT ID    PERMISSION SET  VIA      UNTIL');
  });

  it('a bad usage file is an error naming the file and the JSON path, exit 1, nothing on stdout', async () => {
    const bad = JSON.parse(formatUsageFile(FILE)) as { lastUse: Array<Record<string, unknown>> };
    bad.lastUse[2]!.lastUsed = 'last tuesday';
    fs.writeFileSync(path.join(root, 'bad.json'), JSON.stringify(bad));
    expect(await whoCan('--usage', 'bad.json')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'accessctl: usage file bad.json: lastUse[2].lastUsed: "last tuesday" is not an ISO 8601 UTC time\n',
    });
    expect(await whoCan('--usage', 'missing.json', '--format', 'json')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'accessctl: usage file missing.json: no such file: write it with accessctl usage\n',
    });
    fs.writeFileSync(path.join(root, 'cut.json'), formatUsageFile(FILE).slice(0, 120));
    const cut = await whoCan('--usage', 'cut.json');
    // One line (the parser's own words after "not JSON: "), no stack trace.
    expect([cut.code, cut.stdout, cut.stderr.split(': ').slice(0, 3).join(': '), cut.stderr.split('\n').length]).toEqual([1, '', 'accessctl: usage file cut.json: not JSON', 2]);
  });
});
