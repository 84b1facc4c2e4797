// Approval rules for what a change touches besides groups: scoped-approvers
// (approvers per account and per permission set) and paths (every path the
// pull request changes outside the access files), on the example org's files;
// and how policy.yaml configures them, checked at file:line by validate.
import type { ChangedPaths, ChangeFacts } from '../../src/approvals/facts';
import { isAccessFile, pathGlobProblem, RESERVED_PATHS, reservedOverlap } from '../../src/approvals/path-globs';
import type { Requirement } from '../../src/approvals/rule';
import paths from '../../src/approvals/rules/paths';
import scopedApprovers, { type Scope } from '../../src/approvals/rules/scoped-approvers';
import { compileOuGlob } from '../../src/model/selectors';
import { exampleFiles, factsOf as factsOfFiles, type Edits } from '../support/approvals-facts';
import { load, where } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';


const EXAMPLE = exampleFiles();



const factsOf = (edits: Edits, repo?: ChangedPaths): ChangeFacts => factsOfFiles(EXAMPLE, edits, NOW, repo);

const SANDBOX = 'groups/aws-sandbox-users.yaml';
const DEVELOPERS = 'groups/aws-payments-developers.yaml';
const ADMINS = 'groups/aws-payments-admins.yaml';
const AUDITORS = 'groups/aws-security-auditors.yaml';
const join = (file: string, login: string): Edits => ({ [file]: [['\nmembers:\n', `\nmembers:\n  - ${login}\n`]] });
const HEIDI = 'heidi.schmidt@example.com';
const FRANK = 'frank.li@example.com';

const PRODUCTION: Scope = { name: 'production', accounts: { tags: { env: 'prod' } }, approvers: ['@northwind/security'] };
const SANDBOX_SCOPE: Scope = { name: 'sandbox', accounts: { ou: 'Sandbox' }, approvers: ['alice.nguyen@example.com'] };
const PAYMENTS_ADMINS: Scope = { name: 'payments administrators', accounts: ['payments-prod'], permissionSets: ['AdministratorAccess'], approvers: ['dave.okafor@example.com', 'bob.martin@example.com'], count: 2 };
const AUDITOR_SET: Scope = { name: 'auditors', permissionSets: ['SecurityAuditor'], approvers: ['carol.smith@example.com'] };
const ALL: readonly Scope[] = [PRODUCTION, SANDBOX_SCOPE, PAYMENTS_ADMINS, AUDITOR_SET];

const security = { users: [], teams: ['@northwind/security'], count: 1 };
const req = (subject: string, who: string, why: string, rest: { users: string[]; teams: string[]; count: number }): Requirement => ({ rule: 'scoped-approvers', subject, who, why, ...rest });

describe('scoped-approvers: one requirement per scope the change touches', () => {
  it.each<[string, Edits, readonly Scope[], Requirement[]]>([
    ['a production account and a sandbox account: both scopes\' approvers', { ...join(SANDBOX, HEIDI), [DEVELOPERS]: join(DEVELOPERS, HEIDI)[DEVELOPERS] }, ALL, [
      req('production', 'an approver for production (@northwind/security)', 'the change grants PaymentsDeployer on payments-prod, ReadOnly on payments-prod', security),
      req('sandbox', 'an approver for sandbox (@anguyen)', 'the change grants PowerUser on sandbox-shared', { users: ['anguyen'], teams: [], count: 1 }),
    ]],
    ['an account and a permission set: that scope too, with its count', join(ADMINS, HEIDI), ALL, [
      req('production', 'an approver for production (@northwind/security)', 'the change grants AdministratorAccess on payments-prod', security),
      req('payments administrators', '2 approvers for payments administrators (@bmartin, @dokafor)', 'the change grants AdministratorAccess on payments-prod', { users: ['bmartin', 'dokafor'], teams: [], count: 2 }),
    ]],
    ['a scope of permission sets only: every account they are granted on', join(AUDITORS, FRANK), [AUDITOR_SET], [
      req('auditors', 'an approver for auditors (@csmith)', 'the change grants SecurityAuditor on log-archive, SecurityAuditor on management, SecurityAuditor on payments-prod and 5 more', { users: ['csmith'], teams: [], count: 1 }),
    ]],
    ['a permission set scope is not touched by another permission set', join(SANDBOX, HEIDI), [AUDITOR_SET], []],
    ['a change to a permission set of a scope', { 'permission-sets/SecurityAuditor.yaml': [['\ndescription: ', '\ndescription: Reviewed. ']] }, [AUDITOR_SET, PAYMENTS_ADMINS], [
      req('auditors', 'an approver for auditors (@csmith)', 'the change changes permission set SecurityAuditor', { users: ['csmith'], teams: [], count: 1 }),
    ]],
    ['outside every scope: nothing from this rule', { [DEVELOPERS]: [['accounts: [payments-staging]', 'accounts: [payments-staging, platform-dev]']] }, ALL, []],
    ['access removed on a scope account', { [SANDBOX]: [['  - grace.park@example.com\n', '']] }, ALL, [
      req('sandbox', 'an approver for sandbox (@anguyen)', 'the change removes PowerUser on sandbox-shared', { users: ['anguyen'], teams: [], count: 1 }),
    ]],
    ['an assignment to a group without members', { 'groups/aws-new.yaml': [['', 'name: aws-new\nmode: additive\napps: [aws]\naws:\n  - permissionSet: ReadOnly\n    accounts: [payments-prod]\n']] }, ALL, [
      req('production', 'an approver for production (@northwind/security)', 'the change assigns ReadOnly on payments-prod to aws-new', security),
    ]],
    ['an account tagged into the scope', { 'accounts.yaml': [['tags: { env: staging, team: payments }', 'tags: { env: prod, team: payments }']] }, [PRODUCTION], [
      req('production', 'an approver for production (@northwind/security)', 'the change grants ReadOnly on payments-staging; changes account payments-staging', security),
    ]],
    ['accounts by id', join(SANDBOX, HEIDI), [{ name: 'sandbox by id', accounts: ['067890123456'], approvers: ['grace.park@example.com'] }], [
      req('sandbox by id', 'an approver for sandbox by id (@gpark)', 'the change grants PowerUser on sandbox-shared', { users: ['gpark'], teams: [], count: 1 }),
    ]],
  ])('%s', (_name, edits, scopes, expected) => {
    expect(scopedApprovers.requirements(factsOf(edits), { scopes })).toEqual(expected);
  });

  it('is off until configured, and the example org configures production and the sandbox', () => {
    expect(scopedApprovers.onByDefault).toBe(false);
    const f = factsOf({ ...join(SANDBOX, HEIDI), [DEVELOPERS]: join(DEVELOPERS, HEIDI)[DEVELOPERS] });
    expect(f.base.policy.approvals['scoped-approvers']).toEqual({ scopes: [PRODUCTION, SANDBOX_SCOPE] });
  });
});

const REPO = (changedPaths: string[], accessDir = 'access'): ChangedPaths => ({ changedPaths, accessDir });
const pathsReq = (subject: string, who: string, why: string, rest: { users: string[]; teams: string[]; count: number }): Requirement => ({ rule: 'paths', subject, who, why, ...rest });
const SECURITY_WHO = 'the security team (@northwind/security)';
const DOCS = { 'docs/**': { approvers: ['frank.li@example.com'], count: 1 } };

describe('paths: every changed path outside the access files', () => {
  it.each<[string, string[], Record<string, { approvers: string[]; count?: number }>, Requirement[], string?]>([
    ['src/ needs the security team', ['src/cli/main.ts'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits src/cli/main.ts outside access/', security)]],
    ['several paths, in words', ['README.md', 'src/approvals/evaluate.ts', 'src/cli/main.ts', 'src/git/git.ts'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits src/approvals/evaluate.ts and 3 more outside access/', security)]],
    ['docs/** with its own approvers: those approvers only', ['docs/ci.md', 'docs/rules.md'], DOCS, [
      pathsReq('docs/**', 'an approver of docs/** (@fli)', 'the change edits docs/ci.md and docs/rules.md, which policy.yaml approvals.paths gives to them', { users: ['fli'], teams: [], count: 1 }),
    ]],
    ['a glob with a count and a team', ['docs/ci.md'], { 'docs/**': { approvers: ['frank.li@example.com', 'grace.park@example.com', '@northwind/security'], count: 2 } }, [
      pathsReq('docs/**', '2 approvers of docs/** (@fli, @gpark, @northwind/security)', 'the change edits docs/ci.md, which policy.yaml approvals.paths gives to them', { users: ['fli', 'gpark'], teams: ['@northwind/security'], count: 2 }),
    ]],
    ['the approvals workflow needs the security team even when policy.yaml names .github/**', ['.github/workflows/approvals.yml'], { '.github/**': { approvers: ['frank.li@example.com'] } }, [
      pathsReq('paths', SECURITY_WHO, 'the change edits .github/workflows/approvals.yml outside access/', security),
    ]],
    ['CODEOWNERS needs the security team', ['CODEOWNERS'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits CODEOWNERS outside access/', security)]],
    ['docs/CODEOWNERS and a lock file under docs/** still need the security team', ['docs/CODEOWNERS', 'docs/ci.md', 'docs/site/package-lock.json'], DOCS, [
      pathsReq('paths', SECURITY_WHO, 'the change edits docs/CODEOWNERS and docs/site/package-lock.json outside access/', security),
      pathsReq('docs/**', 'an approver of docs/** (@fli)', 'the change edits docs/ci.md, which policy.yaml approvals.paths gives to them', { users: ['fli'], teams: [], count: 1 }),
    ]],
    ['protected paths are named first', ['README.md', 'package.json', 'src/x.ts'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits package.json and 2 more outside access/', security)]],
    ['a line break in a file name cannot start a line of the words', ['docs/a\n  met      b.md'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits docs/a\\x0a  met      b.md outside access/', security)]],
    ['protection ignores case', ['SRC/x.ts'], { 'SRC/**': { approvers: ['frank.li@example.com'] } }, [pathsReq('paths', SECURITY_WHO, 'the change edits SRC/x.ts outside access/', security)]],
    ['a path two globs match needs both', ['docs/api/x.md'], { 'docs/**': { approvers: ['frank.li@example.com'] }, 'docs/api/**': { approvers: ['grace.park@example.com'] } }, [
      pathsReq('docs/**', 'an approver of docs/** (@fli)', 'the change edits docs/api/x.md, which policy.yaml approvals.paths gives to them', { users: ['fli'], teams: [], count: 1 }),
      pathsReq('docs/api/**', 'an approver of docs/api/** (@gpark)', 'the change edits docs/api/x.md, which policy.yaml approvals.paths gives to them', { users: ['gpark'], teams: [], count: 1 }),
    ]],
    ['the access files are the other rules\' business', ['access/groups/aws-sandbox-users.yaml', 'access/policy.yaml'], {}, []],
    ['other files in the access directory are not', ['access/README.md', 'access/groups/.hidden.yaml'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits access/README.md and access/groups/.hidden.yaml besides the access files', security)]],
    ['an access directory at the top: the code is still not an access file', ['.github/workflows/x.yml', 'groups/a.yaml'], {}, [pathsReq('paths', SECURITY_WHO, 'the change edits .github/workflows/x.yml besides the access files', security)], ''],
  ])('%s', (_name, changed, options, expected, accessDir = 'access') => {
    expect(paths.requirements(factsOf({}, REPO(changed, accessDir)), options)).toEqual(expected);
  });

  it('judges nothing when the caller did not read the paths, and is on by default', () => {
    expect(paths.requirements(factsOf({}), {})).toEqual([]);
    expect(paths.onByDefault).toBe(true);
  });

  it('keeps the paths sorted in the facts', () => {
    expect(factsOf({}, REPO(['src/b.ts', 'README.md', 'src/a.ts'])).changedPaths).toEqual(['README.md', 'src/a.ts', 'src/b.ts']);
  });
});

describe('path globs', () => {
  it.each<[string, string[], boolean]>([
    ['docs/**', [], false],
    ['docs/*.md', [], false],
    ['README.md', [], false],
    ['test/**', [], false],
    ['.github/**', ['.*/**', '.*'], false],
    ['.github/workflows/approvals.yml', ['.*/**'], false],
    ['src/cli/**', ['src/**'], false],
    ['*/cli/main.ts', ['src/**', 'stacks/**', 'engine/**', 'schemas/**', 'scripts/**', 'bin/**', '.*/**'], false],
    // ".json" is a top-level name starting with a dot, and "a/**" matches "a" itself.
    ['*.json', ['cdktf.json', 'tsconfig*.json', 'package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.*/**', '.*'], false],
    ['tsconfig.build.json', ['tsconfig*.json'], false],
    ['Package.json', ['package.json'], true],
    ['docs/CODEOWNERS', [], true],
    ['**/package-lock.json', ['src/**', 'stacks/**', 'engine/**', 'schemas/**', 'scripts/**', 'bin/**', 'package-lock.json', '.*/**'], true],
    ['**/*.md', ['src/**', 'stacks/**', 'engine/**', 'schemas/**', 'scripts/**', 'bin/**', '.*/**', '.*'], false],
  ])('%s reaches %j (protected name: %s)', (glob, areas, protectedName) => {
    expect(reservedOverlap(glob)).toEqual({ areas, protectedName });
  });

  it('agrees with the matcher: a glob that matches a path of an area reaches that area', () => {
    const globs = ['docs/**', '*', '**', '*.json', 's*/**', '*/x', 'bin', 'bin/*', '**/x.ts', 'a*b/**', '.g*/**', 'docs/*/x', '*/**/main.ts', 'tsconfig.*'];
    const samples = ['docs/a.md', 'src/x.ts', 'src/cli/main.ts', 'bin', 'bin/accessctl', 'sx/x', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'cdktf.json', '.github/workflows/a.yml', '.npmrc', 'a/b/c/x.ts', 'docs/q/x', 'ab', 'axb/c', 'engine/x', 'stacks/aws.ts'];
    let checked = 0;
    for (const g of globs) {
      const { areas } = reservedOverlap(g);
      for (const s of samples.filter(compileOuGlob(g))) {
        for (const area of RESERVED_PATHS.filter((r) => compileOuGlob(r)(s))) {
          expect([g, s, areas.includes(area)]).toEqual([g, s, true]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it.each<[string, string | undefined]>([
    ['docs/**', undefined],
    ['/docs/**', 'starts with "/": paths are relative to the repository root (write docs/**, not /docs/**)'],
    ['docs/', 'ends with "/": write docs/** for everything under docs/'],
    ['docs//x', 'has an empty segment ("//")'],
    ['docs/../src/**', 'has a "." or ".." segment'],
    ['docs/?.md', 'holds "?", which accessctl does not read as a wildcard (only "*" and "**" are)'],
    ['docs/{a,b}.md', 'holds "{", which accessctl does not read as a wildcard (only "*" and "**" are)'],
    ['docs/a**', '"**" must be a whole segment (docs/**/x.md); within a segment write "*"'],
  ])('%s is %s', (glob, problem) => {
    expect(pathGlobProblem(glob)).toBe(problem);
  });

  it.each<[string, string, boolean]>([
    ['access/groups/a.yaml', 'access', true],
    ['access/README.md', 'access', false],
    ['access/.x/a.yaml', 'access', false],
    ['accessories/a.yaml', 'access', false],
    ['groups/a.yaml', '', true],
    ['.github/workflows/x.yml', '', false],
  ])('%s in %j is an access file: %s', (p, dir, yes) => {
    expect(isAccessFile(p, dir)).toBe(yes);
  });
});

/** The example org's policy.yaml with `yaml` inserted after `after` (the first line holding it), and the line number of a needle in the result. */
function policyWith(after: string, yaml: string[]): { text: string; line: (needle: string) => number } {
  const text = EXAMPLE['policy.yaml']!.replace(`${after}\n`, `${after}\n${yaml.join('\n')}\n`);
  if (text === EXAMPLE['policy.yaml']) throw new Error(`policy.yaml has no ${after}`);
  const lines = text.split('\n');
  return { text, line: (needle) => lines.findIndex((l) => l.includes(needle)) + 1 };
}

const policyDiagnostics = (text: string): string[] => where(load({ ...EXAMPLE, 'policy.yaml': text }, {})).filter((d) => d.startsWith('access/policy.yaml:'));

describe('policy.yaml: scoped-approvers and paths at file:line', () => {
  it('the example org validates clean', () => {
    expect(where(load(EXAMPLE, {})).filter((d) => !/ACC07[01]\b/.test(d))).toEqual([]);
  });

  it('refuses unknown accounts, permission sets, people and teams in a scope, each at its line', () => {
    // Before the example's own scopes, which stay valid.
    const { text, line } = policyWith('    scopes:', [
      '      - name: typos',
      '        accounts:',
      '          - payments-prd',
      '          - "999999999999"',
      '        permissionSets:',
      '          - ReadOnli',
      '        approvers:',
      '          - bob.martn@example.com',
      '          - "@northwind/securty"',
      '      - name: nowhere',
      '        accounts: { ou: Nowhere }',
      '        approvers: [bob.martin@example.com]',
      '      - name: everything',
      '        approvers: [bob.martin@example.com]',
      '      - name: nowhere',
      '        permissionSets: [ReadOnly]',
      '        approvers: [bob.martin@example.com, carol.smith@example.com]',
      '        count: 3',
    ]);
    const at = (needle: string, col: number, code: string): string => `access/policy.yaml:${line(needle)}:${col} ${code}`;
    expect(policyDiagnostics(text)).toEqual([
      at('- payments-prd', 13, 'ACC130'),
      at('- "999999999999"', 13, 'ACC130'),
      at('- ReadOnli', 13, 'ACC131'),
      at('- bob.martn@example.com', 13, 'ACC074'),
      at('- "@northwind/securty"', 13, 'ACC073'),
      at('accounts: { ou: Nowhere }', 19, 'ACC132'),
      at('- name: everything', 9, 'ACC135'),
      `access/policy.yaml:${line('- name: everything') + 2}:15 ACC135`,
      at('count: 3', 16, 'ACC135'),
    ]);
  });

  it('refuses a path glob for what only the security team approves, and a malformed one, at its key', () => {
    const { text, line } = policyWith('approvals:', [
      '  paths:',
      '    docs/**: { approvers: [frank.li@example.com] }',
      '    .github/**: { approvers: [frank.li@example.com] }',
      '    "**": { approvers: [frank.li@example.com] }',
      '    package.json: { approvers: [frank.li@example.com] }',
      '    "docs/?.md": { approvers: [frank.li@example.com] }',
      '    README.md: { approvers: [frank.li@example.com], count: 2 }',
      '    CHANGELOG.md: { approvers: [nobody@example.com] }',
    ]);
    expect(policyDiagnostics(text)).toEqual([
      `access/policy.yaml:${line('.github/**:')}:5 ACC133`,
      `access/policy.yaml:${line('"**":')}:5 ACC133`,
      `access/policy.yaml:${line('package.json:')}:5 ACC133`,
      `access/policy.yaml:${line('"docs/?.md":')}:5 ACC134`,
      `access/policy.yaml:${line('README.md:')}:60 ACC135`,
      `access/policy.yaml:${line('CHANGELOG.md:')}:33 ACC074`,
    ]);
    const messages = load({ ...EXAMPLE, 'policy.yaml': text }, {}).diagnostics.filter((d) => d.code === 'ACC133').map((d) => d.message);
    expect(messages).toEqual([
      'approvals.paths: ".github/**" can match top-level names starting with a dot (.github/, .ci/, .npmrc), which only the security team may approve',
      'approvals.paths: "**" can match src/**, stacks/**, engine/** and 12 more, which only the security team may approve',
      'approvals.paths: "package.json" names package.json, which only the security team may approve',
    ]);
  });
});
