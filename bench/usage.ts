// npm run bench:usage [-- --mb N] [-- --keep]
//
// Issue 28's measure: `accessctl usage` over generated CloudTrail logs with a
// year of sign-ins for the bench org's 20,000 users (S3 layout, one gzip file
// per account and day), against `zcat FILES | wc -c` of the same files in the
// same run: throughput in MB/s of uncompressed JSON, and the peak RSS of each.
// --mb sets the uncompressed size (default 1024); --keep keeps the temp dir.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const MB = 1024 * 1024;
const USERS = 20_000;
const MGMT = '100000000000';
const MEMBERS = Array.from({ length: 20 }, (_, i) => String(200000000000 + i));
const SETS = ['AdministratorAccess', 'ReadOnly', 'Data_Engineer', 'PowerUser', 'Billing'];
const STORE = `arn:aws:identitystore::${MGMT}:identitystore/d-0000000000`;
const CHILD = path.join(__dirname, 'child.js');

const userId = (u: number): string => `90676d1c3e-${String(u).padStart(8, '0')}-0000-0000-0000-000000000000`;
const userName = (u: number): string => `user${u}@example.com`;

/** A small deterministic generator (the same logs every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function signIn(id: string, time: string, u: number, account: string, set: string): object {
  return {
    eventVersion: '1.10', userIdentity: { type: 'IdentityCenterUser', accountId: MGMT, onBehalfOf: { userId: userId(u), identityStoreArn: STORE }, credentialId: `c-${id}` },
    eventTime: time, eventSource: 'sso.amazonaws.com', eventName: 'GetRoleCredentials', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.8', requestParameters: { roleName: set, accountId: account },
    responseElements: null, requestID: `r-${id}`, eventID: id, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: MGMT, eventCategory: 'Management',
  };
}

function roleCall(id: string, time: string, u: number, account: string, set: string): object {
  const role = `AWSReservedSSO_${set}_0123456789abcdef`;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole', principalId: `AROAEXAMPLE:${userName(u)}`, arn: `arn:aws:sts::${account}:assumed-role/${role}/${userName(u)}`, accountId: account, accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${role}`, accountId: account, userName: role },
        attributes: { creationDate: time, mfaAuthenticated: 'false' },
      },
    },
    eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'console.amazonaws.com',
    requestParameters: { instancesSet: {}, filterSet: {} }, responseElements: null, requestID: `r-${id}`, eventID: id, readOnly: true, eventType: 'AwsApiCall', recipientAccountId: account,
  };
}

/** Writes a year of logs, about `bytes` of uncompressed JSON; returns the files and their uncompressed size. */
function generate(dir: string, bytes: number): { files: string[]; bytes: number } {
  const rand = lcg(28);
  const files: string[] = [];
  const perDay = bytes / 365 / (1 + MEMBERS.length);
  let total = 0;
  let n = 0;
  for (let day = 0; day < 365; day++) {
    const date = new Date(Date.UTC(2025, 11, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const [y, m, d] = date.split('-') as [string, string, string];
    for (const account of [MGMT, ...MEMBERS]) {
      const records: string[] = [];
      let size = 0;
      while (size < perDay) {
        const time = `${date}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00Z`;
        // Each user has their own few (account, permission set): the home account, and a second for one in four.
        let u = Math.floor(rand() * USERS);
        if (account !== MGMT) u = u - (u % MEMBERS.length) + MEMBERS.indexOf(account);
        const second = u % 4 === 0 && rand() < 0.3;
        const target = account === MGMT ? MEMBERS[(u + (second ? 1 : 0)) % MEMBERS.length]! : account;
        const set = SETS[(Math.floor(u / MEMBERS.length) + (second ? 1 : 0)) % SETS.length]!;
        const r = JSON.stringify(account === MGMT ? signIn(`e${n++}`, time, u, target, set) : roleCall(`e${n++}`, time, u, target, set));
        records.push(r);
        size += r.length + 1;
      }
      const text = `{"Records":[${records.join(',')}]}`;
      const file = path.join(dir, 'AWSLogs', account, 'CloudTrail', 'eu-west-1', y, m, d, `${account}_CloudTrail_eu-west-1_${y}${m}${d}T0000Z_bench.json.gz`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, zlib.gzipSync(text));
      files.push(file);
      total += Buffer.byteLength(text);
    }
  }
  return { files, bytes: total };
}

function timed(cmd: string, args: string[], cwd: string): { seconds: number; stdout: string; stderr: string; status: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function main(): void {
  const argv = process.argv.slice(2);
  const mbAt = argv.indexOf('--mb');
  const mb = mbAt >= 0 ? Number(argv[mbAt + 1]) : 1024;
  if (!(mb > 0)) throw new Error('--mb takes a positive number');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-bench-usage-'));
  let start = process.hrtime.bigint();
  const users = { Users: Array.from({ length: USERS }, (_, u) => ({ IdentityStoreId: 'd-0000000000', UserId: userId(u), UserName: userName(u) })) };
  fs.writeFileSync(path.join(dir, 'users.json'), JSON.stringify(users));
  const logs = generate(dir, mb * MB);
  const gz = logs.files.reduce((s, f) => s + fs.statSync(f).size, 0);
  process.stdout.write(`generated ${logs.files.length} files: ${(logs.bytes / MB).toFixed(0)} MB of JSON, ${(gz / MB).toFixed(0)} MB gzip, ` +
    `in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s (${dir})\n`);
  start = process.hrtime.bigint();
  const usage = timed(process.execPath, [CHILD, 'cli', 'usage', '--cloudtrail', 'AWSLogs', '--users', 'users.json', '--out', 'usage.json'], dir);
  const bench = JSON.parse(/@@bench (.*)$/m.exec(usage.stderr)?.[1] ?? '{}') as { code?: number; maxRssKb?: number };
  if (bench.code !== 0) throw new Error(`usage failed:\n${usage.stderr}`);
  const zcat = timed('sh', ['-c', 'find AWSLogs -name "*.json.gz" -print0 | sort -z | xargs -0 zcat | wc -c'], dir);
  if (Number(zcat.stdout.trim()) !== logs.bytes) throw new Error(`zcat | wc -c gave ${zcat.stdout.trim()}, expected ${logs.bytes}`);
  const rate = (s: number): string => `${(logs.bytes / MB / s).toFixed(1)} MB/s`;
  const written = JSON.parse(fs.readFileSync(path.join(dir, 'usage.json'), 'utf8')) as { sources: { records: number; used: number }; lastUse: unknown[] };
  process.stdout.write([
    `| run | seconds | throughput (uncompressed JSON) | peak RSS |`,
    `| --- | --- | --- | --- |`,
    `| accessctl usage | ${usage.seconds.toFixed(1)} | ${rate(usage.seconds)} | ${((bench.maxRssKb ?? 0) / 1024).toFixed(0)} MB |`,
    `| zcat FILES \\| wc -c | ${zcat.seconds.toFixed(1)} | ${rate(zcat.seconds)} | - |`,
    `records ${written.sources.records}, uses ${written.sources.used}, last uses ${written.lastUse.length}`,
  ].join('\n') + '\n');
  if (!argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
}

main();
