// accessctl usage on bad input: the file and the record in a message, exit 1,
// and the out file as it was; command-line mistakes are usage errors (exit 2).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { run } from '../support/helpers';
import { ALICE_ID, DEV, logKey, MGMT, otherCall, PROD, signIn, tempDir, USERS_EXPORT, writeGz, writeText } from './cloudtrail-fixtures';

const NOW = '2026-12-01T06:00:00Z';
const OUT = 'out/usage.json';

/** A folder with the users export, a good log file, and the previous usage file. */
function base(): string {
  const root = tempDir();
  writeText(root, 'users.json', JSON.stringify(USERS_EXPORT));
  writeGz(root, logKey(MGMT, '2026-11-01', 'good'), [signIn('g1', '2026-11-01T10:00:00Z', ALICE_ID, DEV, 'ReadOnly')]);
  writeText(root, OUT, 'previous\n');
  return root;
}

async function fails(root: string, cloudtrail = 'AWSLogs'): Promise<string> {
  const r = await run(['usage', '--cloudtrail', cloudtrail, '--users', 'users.json', '--out', OUT], root, NOW);
  expect({ code: r.code, stdout: r.stdout, out: fs.readFileSync(path.join(root, OUT), 'utf8') }).toEqual({ code: 1, stdout: '', out: 'previous\n' });
  expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['usage.json']);
  return r.stderr;
}

const many = (n: number): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => signIn(`t${i + 1}`, '2026-11-02T10:00:00Z', ALICE_ID, PROD, `Set${i % 7}`));

describe('accessctl usage on bad input', () => {
  it('a truncated gzip file: the record it ends in', async () => {
    const root = base();
    const rel = logKey(MGMT, '2026-11-02', 'cut');
    const whole = zlib.gzipSync(JSON.stringify({ Records: many(400) }));
    writeText(root, rel, whole.subarray(0, Math.floor(whole.length / 2)));
    // What the first half holds: the records it completes; the file ends in the one after.
    const readable = zlib.gunzipSync(whole.subarray(0, Math.floor(whole.length / 2)), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    const complete = readable.split('"eventCategory":"Management"}').length - 1;
    expect(complete).toBeGreaterThan(10);
    expect(await fails(root)).toBe(`${rel}: record ${complete + 1}: the gzip data ends early (truncated file)\nnothing written\n`);
  });

  it('JSON that ends between records: the record that is missing', async () => {
    const root = base();
    const good = JSON.stringify(signIn('p1', '2026-11-02T10:00:00Z', ALICE_ID, PROD, 'ReadOnly'));
    writeText(root, 'AWSLogs/cut.json', `{"Records": [${good}, ${good},`);
    expect(await fails(root)).toBe('AWSLogs/cut.json: record 3: the file ends before its records array does (truncated?)\nnothing written\n');
  });

  it('gzip data that is not gzip', async () => {
    const root = base();
    writeText(root, logKey(PROD, '2026-11-03', 'plain'), '{"Records": []}');
    expect(await fails(root)).toBe(`${logKey(PROD, '2026-11-03', 'plain')}: record 1: not gzip data: incorrect header check\nnothing written\n`);
  });

  it('malformed JSON in a record: its number and what JSON.parse says', async () => {
    const root = base();
    const bad = '{"eventID": "m2", "eventTime": }';
    let parseMessage = '';
    try {
      JSON.parse(bad);
    } catch (e) {
      parseMessage = (e as Error).message;
    }
    const rel = logKey(PROD, '2026-11-03', 'bad');
    writeText(root, rel, zlib.gzipSync(`{"Records":[${JSON.stringify(otherCall('m1', '2026-11-03T00:00:00Z'))},\n${bad}]}`));
    expect(await fails(root)).toBe(`${rel}: record 2: not JSON: ${parseMessage}\nnothing written\n`);
  });

  it('an object with no Records array', async () => {
    const root = base();
    writeText(root, 'AWSLogs/other.json', '{"Items": [1, 2], "Count": 2}');
    expect(await fails(root)).toBe('AWSLogs/other.json: record 1: no "Records" (or "QueryResultRows") array in this JSON object\nnothing written\n');
  });

  it.each([
    ['requestParameters.roleName', { requestParameters: { accountId: DEV } }, 'GetRoleCredentials without requestParameters.roleName'],
    ['requestParameters.accountId', { requestParameters: { roleName: 'ReadOnly' } }, 'GetRoleCredentials without requestParameters.accountId'],
    ['a 12-digit account', { requestParameters: { roleName: 'ReadOnly', accountId: 'dev' } }, 'GetRoleCredentials: requestParameters.accountId "dev" is not a 12-digit account id'],
    ['the user', { userIdentity: { type: 'IdentityCenterUser', accountId: MGMT } }, 'GetRoleCredentials without a user (userIdentity.onBehalfOf.userId or userIdentity.userName)'],
    ['eventID', { eventID: undefined }, 'GetRoleCredentials without eventID'],
    ['eventTime', { eventTime: 'yesterday' }, 'GetRoleCredentials without an eventTime (ISO 8601 UTC)'],
  ])('a sign-in without %s', async (_what, change, message) => {
    const root = base();
    const rel = logKey(MGMT, '2026-11-04', 'missing');
    writeGz(root, rel, [otherCall('x1', '2026-11-04T00:00:00Z'), otherCall('x2', '2026-11-04T00:00:00Z'),
      { ...signIn('x3', '2026-11-04T00:00:01Z', ALICE_ID, DEV, 'ReadOnly'), ...change }]);
    expect(await fails(root)).toBe(`${rel}: record 3: ${message}\nnothing written\n`);
  });

  it('Athena CSV: a quoted field the file ends in, and a row with too few columns', async () => {
    const root = base();
    writeText(root, 'q/a.csv', '"eventid","eventname"\n"e1","GetObject"\n"e2","Get');
    expect(await fails(root, 'q/a.csv')).toBe('q/a.csv: record 2: the file ends inside a quoted field (truncated?)\nnothing written\n');
    writeText(root, 'q/a.csv', '"eventid","eventname"\n"e1","GetObject"\n"e2"\n');
    expect(await fails(root, 'q/a.csv')).toBe('q/a.csv: record 2: 1 column; the header has 2\nnothing written\n');
  });

  it('a users export without a user name', async () => {
    const root = base();
    writeText(root, 'users.json', JSON.stringify({ Users: [USERS_EXPORT.Users[0], { UserId: 'u-2' }] }));
    expect(await fails(root)).toBe('users.json: Users[1].UserName: is not a non-empty string\nnothing written\n');
  });
});

describe('accessctl usage command line', () => {
  it.each([
    [['--users', 'u.json', '--out', 'o.json'], '--cloudtrail PATH is required'],
    [['--cloudtrail', 'AWSLogs', '--out', 'o.json'], '--users FILE is required (aws identitystore list-users output)'],
    [['--cloudtrail', 'AWSLogs', '--users', 'users.json'], '--out FILE is required'],
    [['--cloudtrail', 'AWSLogs', '--users', 'users.json', '--out', 'o.json', '--since', '2026-13-45'], '--since must be a day (YYYY-MM-DD); got "2026-13-45"'],
    [['--cloudtrail', 'nowhere', '--users', 'users.json', '--out', 'o.json'], '--cloudtrail nowhere: no such file or directory'],
  ])('%j is a usage error', async (args, message) => {
    const root = base();
    const r = await run(['usage', ...args], root, NOW);
    expect(r).toEqual({
      code: 2, stdout: '',
      stderr: `accessctl usage: ${message}\n\nUsage: accessctl usage --cloudtrail PATH… --users FILE --out FILE [--since YYYY-MM-DD]\n`,
    });
  });
});
