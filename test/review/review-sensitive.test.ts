import { run, tempRepo } from '../support/helpers';
import { commitAll, initRepo } from '../support/git';
import * as fs from 'node:fs';
import * as path from 'node:path';

const NOW = '2026-04-01T00:00:00Z';
const group = (name: string, ps: string, members: string): string =>
  `name: ${name}\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: ${ps}, accounts: [prod] }\n`;

/** admins hold AdministratorAccess on prod (bob's membership has lapsed), viewers ReadOnly (ViewOnlyAccess). */
function org(): string {
  const root = tempRepo({
    'permission-sets/AdministratorAccess.yaml': 'name: AdministratorAccess\nmanagedPolicies: [AdministratorAccess]\n',
    'groups/admins.yaml': group('admins', 'AdministratorAccess', '  - alice@example.com\n  - { user: bob@example.com, expires: 2026-03-01, reason: INC-3 }\n'),
    'groups/viewers.yaml': group('viewers', 'ReadOnly', '  - carol@example.com\n'),
    'groups/wiki.yaml': 'name: wiki\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - dan@example.com\n',
  });
  initRepo(root, 'access (#1)', { date: '2026-01-10T09:00:00Z' });
  return root;
}

const ADMIN = 'AdministratorAccess: iam:PassRole; iam:Create*; kms:Decrypt; s3:GetObject; sts:AssumeRole; organizations:*';

describe('review: the sensitive actions membership brings', () => {
  const root = org();

  it('markdown: once per group, per permission set', async () => {
    const md = (await run(['review'], root, NOW)).stdout.split('\n');
    const at = (heading: string): string[] => md.slice(md.indexOf(heading) + 2, md.indexOf(heading) + 8);
    expect(at('## admins')).toEqual([
      '- Owners: lead@example.com',
      '- Mode: authoritative',
      '- Gives: AdministratorAccess on \\[prod\\] (1 account)',
      '- Sensitive actions each member gets:',
      '  - AdministratorAccess: `iam:PassRole`; `iam:Create*`; `kms:Decrypt`; `s3:GetObject`; `sts:AssumeRole`; `organizations:*`',
      '',
    ]);
    expect(at('## viewers')).toEqual([
      '- Owners: lead@example.com',
      '- Mode: authoritative',
      '- Gives: ReadOnly on \\[prod\\] (1 account)',
      '- Sensitive actions each member gets:',
      '  - ReadOnly: `organizations:* (20 of 63)`',
      '',
    ]);
    expect(md.slice(md.indexOf('## wiki') + 2, md.indexOf('## wiki') + 6)).toEqual([
      '- Owners: lead@example.com',
      '- Mode: authoritative',
      '- Gives: Okta only',
      '- Sensitive actions each member gets: none (Okta only)',
    ]);
  });

  it('csv: a sensitiveActions column per member, empty for a lapsed membership and for a set that gives none', async () => {
    const csv = (await run(['review', '--format', 'csv'], root, NOW)).stdout.split('\r\n').map((l) => l.split(',').slice(0, 3).concat(l.split(',').slice(13)));
    expect(csv).toEqual([
      ['group', 'owners', 'member', 'sensitiveActions', 'decision'],
      ['admins', 'lead@example.com', 'alice@example.com', ADMIN, ''],
      ['admins', 'lead@example.com', 'bob@example.com', '', ''],
      ['viewers', 'lead@example.com', 'carol@example.com', 'ReadOnly: organizations:* (20 of 63)', ''],
      ['wiki', 'lead@example.com', 'dan@example.com', '', ''],
      [''],
    ]);
  });

  it('html: the list under the group', async () => {
    const html = (await run(['review', '--format', 'html'], root, NOW)).stdout;
    const lists = html.split('\n').filter((l) => l.startsWith('<p>Sensitive actions'));
    expect(lists).toEqual([
      `<p>Sensitive actions each member gets:</p><ul class="sensitive"><li>${ADMIN}</li></ul>`,
      '<p>Sensitive actions each member gets:</p><ul class="sensitive"><li>ReadOnly: organizations:* (20 of 63)</li></ul>',
      '<p>Sensitive actions each member gets: none (Okta only)</p>',
    ]);
  });

  it('follows policy.yaml sensitiveActions and the permission set at HEAD', async () => {
    const r2 = org();
    fs.writeFileSync(path.join(r2, 'access/policy.yaml'), 'sensitiveActions: [iam:CreateUser, ec2:DescribeInstances]\n');
    commitAll(r2, 'sensitive list (#2)', { date: '2026-01-11T09:00:00Z' });
    const csv = (await run(['review', '--format', 'csv'], r2, NOW)).stdout.split('\r\n').map((l) => l.split(',')[13]);
    expect(csv.slice(1, 5)).toEqual(['AdministratorAccess: iam:CreateUser; ec2:DescribeInstances', '', 'ReadOnly: ec2:DescribeInstances', '']);
  });
});
