import * as fs from 'node:fs';
import * as path from 'node:path';
import { changeFacts } from '../../src/approvals/facts';
import { diffRevisions } from '../../src/diff/revisions';
import type { AccessModel } from '../../src/model/types';
import { load, run, sources, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

/** The base commit is made on 2026-11-20; the commands run on 2026-11-23 (helpers.run). */
const BASE_DATE = '2026-11-20T10:00:00Z';

function git(cwd: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Test', email: 'test@example.com', date: BASE_DATE });
}

const team = (members: string, name = 'team'): string =>
  `name: ${name}\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - lead@example.com\n${members}apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n`;
const DEV = '  - dev@example.com\n';
const OLD_PAST = '  - { user: old@example.com, expires: 2026-01-31 }\n';

/** A repository whose one commit holds `members`; the working tree then holds `edited`. */
function repo(members: string, edited: string): string {
  const root = tempRepo({ 'groups/team.yaml': team(members) });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), team(edited));
  return root;
}

const HINT = '  hint: check the year: write the last day the access is meant to last, or delete the entry if no access is meant\n  see docs/errors.md#acc116\n';
const EXPIRE_HINT = '  hint: Run accessctl expire to remove expired members (or delete the entry by hand).\n  see docs/rules.md#expired-members\n';

describe('a member entry written with an expires already past', () => {
  it('is an error (ACC116) for synth and plan when it is new since the base, in place of the expired-members warning', async () => {
    const root = repo(DEV + OLD_PAST, `${DEV}${OLD_PAST}  - { user: new@example.com, expires: 2025-12-31, reason: INC-7 }\n`);
    for (const command of ['synth', 'plan']) {
      const r = await run([command, '--base', 'HEAD'], root);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'access/groups/team.yaml:7:5 warning expired-members old@example.com\'s membership of "team" expired on 2026-01-31\n' +
          '  subject: team|old@example.com\n' +
          EXPIRE_HINT +
          'access/groups/team.yaml:8:5 error ACC116 new@example.com is added to "team" with expires 2025-12-31, already past: no access is granted\n' +
          '  subject: team|new@example.com\n' +
          HINT +
          'access: 1 error, 1 warning, 0 waived; nothing was written\n',
      });
      expect(fs.existsSync(path.join(root, 'cdktf.out'))).toBe(false);
    }
  });

  it('is an error when an entry of someone with access is given a past date', async () => {
    const root = repo(DEV, '  - { user: dev@example.com, expires: 2025-12-31 }\n');
    const r = await run(['synth', '--base', 'HEAD'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'access/groups/team.yaml:6:5 error ACC116 dev@example.com\'s membership of "team" is set to end 2025-12-31, already past: it would end their access now\n' +
        '  subject: team|dev@example.com\n' +
        HINT +
        'access: 1 error, 0 warnings, 0 waived; nothing was written\n',
    );
  });

  it('stays the expired-members warning without a base, for validate, and when the date passed only after the base commit', async () => {
    const warning = (line: number, who: string, day: string): string =>
      `access/groups/team.yaml:${line}:5 warning expired-members ${who}'s membership of "team" expired on ${day}\n  subject: team|${who}\n${EXPIRE_HINT}`;
    const typo = repo(DEV, '  - { user: new@example.com, expires: 2025-12-31 }\n');
    expect(await run(['synth', '--no-base'], typo)).toMatchObject({ code: 0, stderr: warning(6, 'new@example.com', '2025-12-31') });
    expect(await run(['validate'], typo)).toMatchObject({ code: 0, stdout: `${warning(6, 'new@example.com', '2025-12-31')}access: valid, 1 group, 1 permission set, 2 accounts, 1 account assignment; 1 warning, 0 waived\n` });
    // Short access that ran out while its change waited (base 2026-11-20, expires 2026-11-21, today 2026-11-23): an apply must not stop on it.
    const lapsed = repo(DEV, `${DEV}  - { user: short@example.com, expires: 2026-11-21 }\n`);
    expect(await run(['synth', '--base', 'HEAD'], lapsed)).toMatchObject({ code: 0, stderr: warning(7, 'short@example.com', '2026-11-21') });
  });

  it('stays a warning when the base holds it with the same date, also in a group renamed since', async () => {
    const root = repo(DEV + OLD_PAST, DEV + OLD_PAST);
    fs.rmSync(path.join(root, 'access/groups/team.yaml'));
    fs.writeFileSync(path.join(root, 'access/groups/crew.yaml'), team(DEV + OLD_PAST, 'crew'));
    const r = await run(['synth', '--base', 'HEAD'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^base: HEAD \([0-9a-f]{12}\), 1 rename: group team -> crew$/);
    expect(r.stderr).toBe('access/groups/crew.yaml:7:5 warning expired-members old@example.com\'s membership of "crew" expired on 2026-01-31\n  subject: crew|old@example.com\n' + EXPIRE_HINT);
  });

  it('is named for what it is by diff, never as someone who leaves', async () => {
    const root = repo(
      `${DEV}  - { user: was@example.com, expires: 2026-01-31 }\n`,
      '  - { user: dev@example.com, expires: 2025-12-31 }\n  - { user: was@example.com, expires: 2025-01-31 }\n  - { user: new@example.com, expires: 2025-12-31, reason: INC-7 }\n',
    );
    const r = await run(['diff', '--base', 'HEAD'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '  ! sensitive-actions: -1 person can no longer organizations:* (20 of 63 actions) on prod (dev@example.com)',
      'access removed:',
      '  dev@example.com',
      '    - prod (111111111111) ReadOnly via team',
      'by account:',
      '  prod (111111111111): +0 / -1',
      'changes:',
      "  ! dev@example.com's membership of team is set to end 2025-12-31, already past: their access ends now (check the year)",
      '  ! new@example.com is added to team with expires 2025-12-31, already past: no access is granted (check the year)',
      '  ! was@example.com in team: expires 2026-01-31 → 2025-01-31, already past: no access is granted (check the year)',
      '  - dev@example.com leaves accessctl-aws-users: SCIM deactivates their AWS user (no longer in a group pushed to AWS)',
      '',
    ]);
    const json = JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], root)).stdout);
    expect(json.changes.filter((c: { kind: string }) => c.kind === 'member')).toEqual([
      { kind: 'member', action: 'removed', name: 'team|dev@example.com', group: 'team', user: 'dev@example.com', expires: '2025-12-31', expired: true },
      { kind: 'member', action: 'added', name: 'team|new@example.com', group: 'team', user: 'new@example.com', expires: '2025-12-31', reason: 'INC-7', expired: true },
      { kind: 'member', action: 'changed', name: 'team|was@example.com', group: 'team', user: 'was@example.com', expires: '2025-01-31', expired: true, fields: { expires: { before: '2026-01-31', after: '2025-01-31' } } },
    ]);
    const md = (await run(['diff', '--base', 'HEAD', '--format', 'markdown'], root)).stdout;
    expect(md).toContain('### accessctl: +0 / −1 access for 1 person on 1 account; 1 Okta access change (group and app membership)\n');
    expect(md).toContain('- `!` new@example.com is added to team with expires 2025-12-31, already past: no access is granted (check the year)\n');
  });

  it('is no access an approval must cover', () => {
    const revision = (label: string, members: string) => {
      const files = { 'groups/team.yaml': team(members) };
      return { label, model: load(files).model as AccessModel, diagnostics: [], sources: sources(files) };
    };
    const base = revision('base', DEV);
    const head = revision('head', `${DEV}  - { user: new@example.com, expires: 2025-12-31 }\n`);
    const change = diffRevisions(base, head, '2026-11-23');
    expect(change.diff.changes.map((c) => `${c.kind} ${c.action} ${c.name}`)).toEqual(['member added team|new@example.com']);
    expect([...changeFacts({ ...change, base, head }, '2026-11-23').grantees.values()]).toEqual([]);
  });
});
