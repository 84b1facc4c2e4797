// A deterministic generator of orgs in the access/ format, sized by flags.
//
//   npm run -s build:tools && node dist-tools/bench/generate.js --out /tmp/org [--groups 2000]
//     [--accounts 1000] [--users 20000] [--permission-sets 300]
//     [--grants-per-group 5] [--accounts-per-grant 10] [--members-per-group 15] [--seed 1]
//
// The same flags always write the same bytes. Account assignments are
// groups x grants-per-group x accounts-per-grant when each grant gets distinct
// accounts (it does: accounts are drawn without repetition within a grant, and
// a group's grants use distinct permission sets). The org passes validate:
// owners are members, sessions fit the production limit, no full-admin set.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OrgSize {
  groups: number;
  accounts: number;
  users: number;
  permissionSets: number;
  grantsPerGroup: number;
  accountsPerGrant: number;
  membersPerGroup: number;
  seed: number;
}

/** The org issue 8 names: 2,000 groups, 1,000 accounts, 20,000 users, 300 permission sets, 100,000 assignments. */
export const LARGE: OrgSize = { groups: 2000, accounts: 1000, users: 20000, permissionSets: 300, grantsPerGroup: 5, accountsPerGrant: 10, membersPerGroup: 15, seed: 1 };

const FLAGS: Record<string, keyof OrgSize> = {
  groups: 'groups',
  accounts: 'accounts',
  users: 'users',
  'permission-sets': 'permissionSets',
  'grants-per-group': 'grantsPerGroup',
  'accounts-per-grant': 'accountsPerGrant',
  'members-per-group': 'membersPerGroup',
  seed: 'seed',
};

export function parseSize(argv: readonly string[], base: OrgSize = LARGE): OrgSize {
  const size = { ...base };
  for (const [flag, key] of Object.entries(FLAGS)) {
    const i = argv.indexOf(`--${flag}`);
    if (i < 0) continue;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < (key === 'seed' ? 0 : 1)) throw new Error(`--${flag} takes a positive whole number`);
    size[key] = n;
  }
  if (size.accountsPerGrant > size.accounts) throw new Error('--accounts-per-grant cannot exceed --accounts');
  if (size.grantsPerGroup > size.permissionSets) throw new Error('--grants-per-group cannot exceed --permission-sets');
  if (size.membersPerGroup > size.users) throw new Error('--members-per-group cannot exceed --users');
  return size;
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same org. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const TEAMS = ['payments', 'platform', 'data', 'identity', 'search', 'mobile', 'web', 'risk', 'ledger', 'growth', 'infra', 'ml', 'support', 'billing', 'security', 'devex', 'edge', 'messaging', 'maps', 'ads'];
const ENVS = ['prod', 'staging', 'dev', 'sandbox'];
const POLICIES = ['ReadOnlyAccess', 'ViewOnlyAccess', 'AmazonS3ReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'AWSSupportAccess', 'AmazonDynamoDBReadOnlyAccess', 'AWSLambda_ReadOnlyAccess'];

export const userLogin = (i: number): string => `user${pad(i, 5)}@example.com`;
export const accountName = (i: number): string => `acct-${pad(i, 4)}`;
export const accountId = (i: number): string => String(200000000000 + i * 7919);
export const permissionSetName = (i: number): string => `PS${pad(i, 3)}`;
export const groupName = (i: number): string => `team-${pad(i, 4)}`;

/** Every file of the org: path relative to access/ -> content. */
export function generateOrg(size: OrgSize): Map<string, string> {
  const rand = rng(size.seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  /** k distinct numbers below n (partial Fisher-Yates over a sparse map). */
  const sample = (n: number, k: number): number[] => {
    const swapped = new Map<number, number>();
    const out: number[] = [];
    for (let i = 0; i < k; i++) {
      const j = i + pick(n - i);
      const vj = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      out.push(vj);
    }
    return out;
  };
  const files = new Map<string, string>();
  files.set('settings.yaml', [
    'okta:',
    '  org: bench',
    '  orgType: identity-engine',
    '  apps:',
    '    aws:',
    '      label: AWS IAM Identity Center',
    '      acsUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/acs/5f0c2b7e-8d4a-4c1e-9b3f-2a6d8e1c7f90',
    '      issuerUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067a1b2c3',
    '      mfa: required',
    'aws:',
    '  region: us-east-1',
    '  startUrl: https://d-9067a1b2c3.awsapps.com/start',
    'backend:',
    '  type: local',
    '',
  ].join('\n'));
  const accountLines = ['accounts:'];
  for (let i = 0; i < size.accounts; i++) {
    const env = ENVS[i % ENVS.length]!;
    const team = TEAMS[Math.floor(i / ENVS.length) % TEAMS.length]!;
    const ou = env === 'sandbox' ? 'Sandbox' : `Workloads/${env === 'prod' ? 'Prod' : 'NonProd'}/${team}`;
    accountLines.push(`  - { name: ${accountName(i)}, id: "${accountId(i)}", ou: ${ou}, tags: { env: ${env}, team: ${team} } }`);
  }
  files.set('accounts.yaml', `${accountLines.join('\n')}\n`);
  const people = ['people:'];
  for (let i = 0; i < size.users; i++) people.push(`  - { login: ${userLogin(i)}, github: gh-user${pad(i, 5)} }`);
  files.set('people.yaml', `${people.join('\n')}\n`);
  for (let p = 0; p < size.permissionSets; p++) {
    const name = permissionSetName(p);
    const policies = sample(POLICIES.length, 1 + (p % 3)).map((i) => POLICIES[i]!).sort();
    const lines = [`name: ${name}`, `description: Generated permission set ${p}`, `sessionDuration: PT${1 + (p % 4)}H`, `managedPolicies: [${policies.join(', ')}]`];
    if (p % 5 === 0) {
      lines.push(
        'inlinePolicy:',
        '  Version: "2012-10-17"',
        '  Statement:',
        `    - Sid: Bucket${p}`,
        '      Effect: Allow',
        '      Action: [s3:GetObject, s3:PutObject]',
        `      Resource: "arn:aws:s3:::bench-${pad(p, 3)}/*"`,
      );
    }
    files.set(`permission-sets/${name}.yaml`, `${lines.join('\n')}\n`);
  }
  for (let g = 0; g < size.groups; g++) {
    const name = groupName(g);
    const members = sample(size.users, size.membersPerGroup).sort((a, b) => a - b).map(userLogin);
    const sets = sample(size.permissionSets, size.grantsPerGroup).sort((a, b) => a - b);
    const lines = [`name: ${name}`, `description: Generated team ${g}`, `owners: [${members[0]}]`, 'mode: authoritative', 'members:'];
    for (const m of members) lines.push(`  - ${m}`);
    lines.push('apps: [aws]', 'aws:');
    for (const ps of sets) {
      const accounts = sample(size.accounts, size.accountsPerGrant).sort((a, b) => a - b).map(accountName);
      lines.push(`  - permissionSet: ${permissionSetName(ps)}`, `    accounts: [${accounts.join(', ')}]`);
    }
    files.set(`groups/${name}.yaml`, `${lines.join('\n')}\n`);
  }
  return files;
}

export function writeOrg(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, content] of files) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  if (i < 0 || argv[i + 1] === undefined) {
    process.stderr.write('usage: node dist-tools/bench/generate.js --out DIR [--groups N] [--accounts N] [--users N] [--permission-sets N] [--grants-per-group N] [--accounts-per-grant N] [--members-per-group N] [--seed N]\n');
    process.exit(2);
  }
  try {
    const size = parseSize(argv);
    const files = generateOrg(size);
    writeOrg(argv[i + 1]!, files);
    process.stdout.write(`wrote ${files.size} files to ${argv[i + 1]}: ${size.groups} groups, ${size.accounts} accounts, ${size.users} users, ${size.permissionSets} permission sets, ${size.groups * size.grantsPerGroup * size.accountsPerGrant} account assignments\n`);
  } catch (e) {
    process.stderr.write(`generate: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
