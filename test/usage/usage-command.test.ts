// accessctl usage: CloudTrail as delivered to S3 (gzip, nested AWSLogs folders),
// Lake and Athena query results, into the usage file; bad input names the file
// and record, and then nothing is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { run } from '../support/helpers';
import {
  ALICE_ID, BOB_ID, CAROL_ID, DEV, logKey, MGMT, oldSignIn, otherCall, PROD, roleCall, samlAssume, signIn, STORE, tempDir,
  USERS_EXPORT, writeGz, writeText,
} from './cloudtrail-fixtures';

const NOW = '2026-12-01T06:00:00Z';

/** The recorded logs: sign-ins in the management account, role sessions in the member accounts. */
function recordedOrg(): string {
  const root = tempDir();
  writeText(root, 'users.json', JSON.stringify(USERS_EXPORT, null, 2));
  writeGz(root, logKey(MGMT, '2025-06-15', 'old'), [
    oldSignIn('ev-bob-old', '2025-06-15T08:00:00Z', 'BOB@Example.com', DEV, 'ReadOnly'),
    otherCall('ev-other-1', '2025-06-15T08:01:00Z'),
  ]);
  writeGz(root, logKey(MGMT, '2026-10-01', 'a'), [
    signIn('ev-alice-1', '2026-10-01T09:00:00Z', ALICE_ID, DEV, 'AdministratorAccess'),
    signIn('ev-alice-2', '2026-11-02T08:00:00Z', ALICE_ID, DEV, 'AdministratorAccess', 'Federate'),
    { ...signIn('ev-alice-denied', '2026-11-30T08:00:00Z', ALICE_ID, PROD, 'AdministratorAccess'), errorCode: 'AccessDenied' },
    signIn('ev-ghost', '2026-10-02T10:00:00Z', '90676d1c3e-deleted-user', PROD, 'ReadOnly'),
    signIn('ev-ghost-2', '2026-10-03T10:00:00Z', '90676d1c3e-deleted-user', PROD, 'ReadOnly'),
  ]);
  writeGz(root, logKey(PROD, '2026-11-10', 'b'), [
    roleCall('ev-carol-1', '2026-11-10T12:00:00Z', PROD, 'AWSReservedSSO_Data_Engineer_0123456789abcdef', 'carol@example.com'),
    roleCall('ev-bob-deleted', '2026-03-01T07:30:00Z', PROD, 'AWSReservedSSO_OldAdmin_fedcba9876543210', 'bob@example.com'),
    roleCall('ev-lambda', '2026-11-10T12:01:00Z', PROD, 'billing-lambda-role', 'i-0abc'),
    roleCall('ev-broken', '2026-11-10T12:02:00Z', PROD, 'AWSReservedSSO_Broken', 'carol@example.com'),
    samlAssume('ev-carol-saml', '2026-11-09T11:00:00Z', PROD, 'AWSReservedSSO_ReadOnly_a1b2c3d4e5f6a7b8', 'Carol@example.com'),
  ]);
  // Digest files are not logs: a folder of them is skipped.
  writeText(root, path.join('AWSLogs', PROD, 'CloudTrail-Digest', 'eu-west-1', 'digest.json.gz'), zlib.gzipSync('{"digestStartTime":"x"}'));
  return root;
}

const ARGS = ['usage', '--cloudtrail', 'AWSLogs', '--users', 'users.json', '--out', 'out/usage.json'];

const ALL_LINES = [
  '{"user":"alice@example.com","accountId":"222222222222","permissionSet":"AdministratorAccess","lastUsed":"2026-11-02T08:00:00Z","eventId":"ev-alice-2","eventName":"Federate"}',
  '{"user":"bob@example.com","accountId":"222222222222","permissionSet":"ReadOnly","lastUsed":"2025-06-15T08:00:00Z","eventId":"ev-bob-old","eventName":"Federate"}',
  '{"user":"bob@example.com","accountId":"333333333333","permissionSet":"OldAdmin","lastUsed":"2026-03-01T07:30:00Z","eventId":"ev-bob-deleted","eventName":"DescribeInstances"}',
  '{"user":"carol@example.com","accountId":"333333333333","permissionSet":"Data_Engineer","lastUsed":"2026-11-10T12:00:00Z","eventId":"ev-carol-1","eventName":"DescribeInstances"}',
  '{"user":"carol@example.com","accountId":"333333333333","permissionSet":"ReadOnly","lastUsed":"2026-11-09T11:00:00Z","eventId":"ev-carol-saml","eventName":"AssumeRoleWithSAML"}',
];

/** The usage file's exact text (formatUsageFile's layout). */
function usageText(o: { since: string | null; until: string | null; files: number; records: number; used: number; lines: readonly string[]; users: string; roles: string }): string {
  return `{
  "version": 1,
  "generatedAt": "2026-12-01T06:00:00.000Z",
  "since": ${JSON.stringify(o.since)},
  "until": ${JSON.stringify(o.until)},
  "sources": {
    "files": ${o.files},
    "records": ${o.records},
    "used": ${o.used}
  },
  "unmatched": {
    "users": ${o.users},
    "roles": ${o.roles}
  },
  "lastUse": ${o.lines.length === 0 ? '[]' : `[\n${o.lines.map((l) => `    ${l}`).join(',\n')}\n  ]`}
}
`;
}

const GHOST = `[
      {
        "user": "90676d1c3e-deleted-user",
        "events": 2
      }
    ]`;
const BROKEN = `[
      {
        "accountId": "333333333333",
        "roleName": "AWSReservedSSO_Broken",
        "events": 1
      }
    ]`;

const read = (root: string): string => fs.readFileSync(path.join(root, 'out/usage.json'), 'utf8');

/** Runs usage over PATHS (every user matched, every role a permission set's) and checks the file it writes. */
async function expectUsage(root: string, paths: string[], o: { until: string; files: number; records: number; lines: string[] }): Promise<void> {
  const r = await run(['usage', '--cloudtrail', ...paths, '--users', 'users.json', '--out', 'out/usage.json'], root, NOW);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(read(root)).toBe(usageText({ since: null, users: '[]', roles: '[]', used: o.lines.length, ...o }));
}

describe('accessctl usage', () => {
  it('writes the last use per user, account and permission set, and lists what it could not match', async () => {
    const root = recordedOrg();
    const r = await run(ARGS, root, NOW);
    expect(r).toEqual({
      code: 0,
      stdout: 'read 3 files, 12 records: 6 uses by 3 users, 5 last uses by (user, account, permission set), ' +
        'latest event 2026-11-30T08:00:00Z; unmatched: 1 user, 1 role; wrote out/usage.json\n',
      stderr: 'usage: 2 events by 1 user not in users.json: 90676d1c3e-deleted-user (2)\n' +
        'usage: 1 event of 1 role not of the form AWSReservedSSO_<permission set>_<suffix>: 333333333333 AWSReservedSSO_Broken (1)\n',
    });
    expect(read(root)).toBe(usageText({
      since: null, until: '2026-11-30T08:00:00Z', files: 3, records: 12, used: 6, lines: ALL_LINES, users: GHOST, roles: BROKEN,
    }));
  });

  it('--since skips older events', async () => {
    const root = recordedOrg();
    const r = await run([...ARGS, '--since', '2026-03-02'], root, NOW);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('read 3 files, 12 records (events before 2026-03-02 skipped): 4 uses by 2 users, 3 last uses by ' +
      '(user, account, permission set), latest event 2026-11-30T08:00:00Z; unmatched: 1 user, 1 role; wrote out/usage.json\n');
    expect(read(root)).toBe(usageText({
      since: '2026-03-02', until: '2026-11-30T08:00:00Z', files: 3, records: 12, used: 4,
      lines: [ALL_LINES[0]!, ALL_LINES[3]!, ALL_LINES[4]!], users: GHOST, roles: BROKEN,
    }));
  });

  it('reads a single plain .json file', async () => {
    const root = tempDir();
    writeText(root, 'users.json', JSON.stringify(USERS_EXPORT));
    const records = [signIn('e1', '2026-11-20T10:00:00Z', BOB_ID, PROD, 'ReadOnly'), otherCall('e2', '2026-11-20T10:00:01Z')];
    writeText(root, 'plain.json', JSON.stringify({ Records: records }, null, 2));
    await expectUsage(root, ['plain.json'], {
      until: '2026-11-20T10:00:01Z', files: 1, records: 2,
      lines: ['{"user":"bob@example.com","accountId":"333333333333","permissionSet":"ReadOnly","lastUsed":"2026-11-20T10:00:00Z","eventId":"e1","eventName":"GetRoleCredentials"}'],
    });
  });
});

const CSV_HEADER = '"eventversion","useridentity","eventtime","eventsource","eventname","awsregion","sourceipaddress","useragent",' +
  '"errorcode","errormessage","requestparameters","responseelements","additionaleventdata","requestid","eventid","resources",' +
  '"eventtype","apiversion","readonly","recipientaccountid","serviceeventdetails","sharedeventid","vpcendpointid"';

const csvRow = (cells: readonly string[]): string => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

describe('accessctl usage on query results', () => {
  it('reads Athena CSV: userIdentity as Athena prints a struct, requestParameters as JSON', async () => {
    const root = tempDir();
    writeText(root, 'users.json', JSON.stringify(USERS_EXPORT));
    const icUser = `{type=IdentityCenterUser, principalid=null, arn=null, accountid=${MGMT}, invokedby=null, accesskeyid=null, ` +
      `username=null, onbehalfof={userid=${CAROL_ID}, identitystorearn=${STORE}}, sessioncontext=null}`;
    const session = `{type=AssumedRole, principalid=AROAEXAMPLE:alice@example.com, arn=arn:aws:sts::${PROD}:assumed-role/` +
      `AWSReservedSSO_PowerUser_00aa11bb22cc33dd/alice@example.com, accountid=${PROD}, invokedby=null, accesskeyid=ASIAEXAMPLE, ` +
      `username=null, sessioncontext={attributes={mfaauthenticated=false, creationdate=2026-11-01T00:00:00Z}, sessionissuer={type=Role, ` +
      `principalid=AROAEXAMPLE, arn=arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_00aa11bb22cc33dd, ` +
      `accountid=${PROD}, username=AWSReservedSSO_PowerUser_00aa11bb22cc33dd}}}`;
    const row = (ui: string, time: string, source: string, name: string, params: string, id: string, acct: string): string =>
      csvRow(['1.10', ui, time, source, name, 'eu-west-1', '198.51.100.7', 'aws-cli', '', '', params, '', '', 'req', id, '[]', 'AwsApiCall', '', 'true', acct, '', '', '']);
    writeText(root, 'athena/results.csv', [
      CSV_HEADER,
      row(icUser, '2026-11-21T09:15:00Z', 'sso.amazonaws.com', 'GetRoleCredentials', `{"roleName":"ReadOnly","accountId":"${DEV}"}`, 'csv-1', MGMT),
      row(session, '2026-11-22T09:15:00Z', 'ec2.amazonaws.com', 'DescribeVpcs', '{"filterSet":{}}', 'csv-2', PROD),
      row('{type=IAMUser, principalid=AIDA, arn=arn:aws:iam::1:user/x, username=x}', '2026-11-22T09:16:00Z', 's3.amazonaws.com', 'GetObject', '{"key":"a,\\"b\\"\nc"}', 'csv-3', DEV),
    ].join('\n') + '\n');
    await expectUsage(root, ['athena'], {
      until: '2026-11-22T09:16:00Z', files: 1, records: 3,
      lines: [
        '{"user":"alice@example.com","accountId":"333333333333","permissionSet":"PowerUser","lastUsed":"2026-11-22T09:15:00Z","eventId":"csv-2","eventName":"DescribeVpcs"}',
        '{"user":"carol@example.com","accountId":"222222222222","permissionSet":"ReadOnly","lastUsed":"2026-11-21T09:15:00Z","eventId":"csv-1","eventName":"GetRoleCredentials"}',
      ],
    });
  });

  it('reads CloudTrail Lake get-query-results (rows of one-key cells) and a plain array of records', async () => {
    const root = tempDir();
    writeText(root, 'users.json', JSON.stringify(USERS_EXPORT));
    const lake = {
      QueryStatus: 'FINISHED',
      QueryStatistics: { ResultsCount: 2, TotalResultsCount: 2, BytesScanned: 1024 },
      QueryResultRows: [
        [{ eventID: 'lake-1' }, { eventTime: '2026-11-25 07:00:00.000' }, { eventSource: 'sso.amazonaws.com' },
          { eventName: 'GetRoleCredentials' },
          { userIdentity: `{type=IdentityCenterUser, accountid=${MGMT}, onbehalfof={userid=${ALICE_ID}, identitystorearn=${STORE}}}` },
          { requestParameters: `{"accountId":"${PROD}","roleName":"ReadOnly"}` }],
        [{ eventID: 'lake-2' }, { eventTime: '2026-11-25 07:05:00.000' }, { eventSource: 'ec2.amazonaws.com' }, { eventName: 'RunInstances' },
          { userIdentity: '{type=IAMUser, arn=arn:aws:iam::1:user/x}' }, { requestParameters: null }],
      ],
    };
    writeText(root, 'lake/results.json', JSON.stringify(lake));
    writeText(root, 'lake/array.json', JSON.stringify([roleCall('arr-1', '2026-11-26T01:00:00Z', DEV, 'AWSReservedSSO_ReadOnly_0f0f0f0f0f0f0f0f', 'bob@example.com')]));
    await expectUsage(root, ['lake/results.json', 'lake/array.json'], {
      until: '2026-11-26T01:00:00Z', files: 2, records: 3,
      lines: [
        '{"user":"alice@example.com","accountId":"333333333333","permissionSet":"ReadOnly","lastUsed":"2026-11-25T07:00:00Z","eventId":"lake-1","eventName":"GetRoleCredentials"}',
        '{"user":"bob@example.com","accountId":"222222222222","permissionSet":"ReadOnly","lastUsed":"2026-11-26T01:00:00Z","eventId":"arr-1","eventName":"DescribeInstances"}',
      ],
    });
  });
});
