import { effectiveAccess } from '../../src/model/access';
import { loadAccessDir } from '../../src/model/load';
import type { AccessModel } from '../../src/model/types';
import { load, REPO_ROOT } from '../support/helpers';

function example(): AccessModel {
  const r = loadAccessDir('access', REPO_ROOT);
  expect(r.diagnostics).toEqual([]);
  return r.model!;
}

const ALL_ACCOUNTS = ['log-archive', 'management', 'payments-prod', 'payments-staging', 'platform-dev', 'platform-prod', 'sandbox-shared', 'security-audit'];
const IDS: Record<string, string> = {
  management: '048213579901',
  'security-audit': '391847562013',
  'log-archive': '562019384756',
  'payments-prod': '123456789012',
  'payments-staging': '234567890123',
  'platform-prod': '345678901234',
  'platform-dev': '456789012345',
  'sandbox-shared': '067890123456',
};

/** The access of the example org worked out by hand from access/groups/*.yaml. */
function expectedRows(expired: string[] = []): string[] {
  const rows: string[] = [];
  const add = (users: string[], grants: Array<[string, string[]]>, via: string): void => {
    for (const u of users) {
      if (expired.includes(u)) continue;
      for (const [ps, accounts] of grants) for (const a of accounts) rows.push(`${u}@example.com ${a} ${IDS[a]} ${ps} ${via}`);
    }
  };
  // aws-platform-admins: Admin on {ou: Workloads/**, tags: {team: platform}}, ReadOnly on {ou: "**"}
  add(['alice.nguyen', 'bob.martin'], [['AdministratorAccess', ['platform-dev', 'platform-prod']], ['ReadOnly', ALL_ACCOUNTS]], 'aws-platform-admins');
  // aws-payments-admins
  add(['dave.okafor', 'erin.kowalski'], [['AdministratorAccess', ['payments-prod']], ['PowerUser', ['payments-staging']]], 'aws-payments-admins');
  // aws-payments-developers: PaymentsDeployer on {ou: Workloads/*, tags: {team: payments}}
  add(['frank.li', 'grace.park', 'judy.adams'], [['PaymentsDeployer', ['payments-prod', 'payments-staging']], ['PowerUser', ['payments-staging']], ['ReadOnly', ['payments-prod']]], 'aws-payments-developers');
  // aws-security-auditors: SecurityAuditor everywhere, ReadOnly on {tags: {team: security}}
  add(['carol.smith', 'heidi.schmidt'], [['SecurityAuditor', ALL_ACCOUNTS], ['ReadOnly', ['log-archive', 'security-audit']]], 'aws-security-auditors');
  // aws-sandbox-users
  add(['frank.li', 'grace.park', 'ivan.petrov'], [['PowerUser', ['sandbox-shared']]], 'aws-sandbox-users');
  // aws-incident-responders: ReadOnly on {tags: {env: prod}}
  add(['ivan.petrov'], [['ReadOnly', ['log-archive', 'payments-prod', 'platform-prod', 'security-audit']]], 'aws-incident-responders');
  return rows.sort();
}

const asLines = (model: AccessModel, today: string): string[] =>
  effectiveAccess(model, today).map((r) => `${r.user} ${r.account} ${r.accountId} ${r.permissionSet} ${r.via.join(',')}`).sort();

describe('who-can on the example org', () => {
  it('lists exactly the access worked out by hand', () => {
    const lines = asLines(example(), '2026-11-23');
    expect(lines).toEqual(expectedRows());
    expect(lines).toHaveLength(63);
  });

  it('drops members from the day after their expires date', () => {
    const model = example();
    // erin expires 2027-01-15, ivan (incident responders) 2027-01-31, bob 2027-02-15, judy 2027-02-28
    expect(asLines(model, '2027-01-15')).toEqual(expectedRows());
    expect(asLines(model, '2027-01-16')).toEqual(expectedRows(['erin.kowalski']));
    const feb = asLines(model, '2027-02-01');
    expect(feb).toEqual(expectedRows(['erin.kowalski']).filter((r) => !(r.startsWith('ivan.petrov') && r.endsWith('aws-incident-responders'))));
    expect(feb.filter((r) => r.startsWith('ivan.petrov'))).toEqual(['ivan.petrov@example.com sandbox-shared 067890123456 PowerUser aws-sandbox-users']);
    expect(asLines(model, '2027-04-01')).toEqual(
      expectedRows(['erin.kowalski', 'judy.adams', 'bob.martin']).filter((r) => !(r.startsWith('ivan.petrov') && r.endsWith('aws-incident-responders'))),
    );
  });

  it('sorts rows by user, account name and permission set', () => {
    const rows = effectiveAccess(example(), '2026-11-23');
    expect(rows.slice(0, 3).map((r) => `${r.user} ${r.account} ${r.permissionSet}`)).toEqual([
      'alice.nguyen@example.com log-archive ReadOnly',
      'alice.nguyen@example.com management ReadOnly',
      'alice.nguyen@example.com payments-prod ReadOnly',
    ]);
  });
});

describe('effective access', () => {
  const grant = (group: string, members: string, grants: string): string =>
    `name: ${group}\nmode: additive\nmembers: ${members}\napps: [aws]\naws:\n${grants}`;

  it('merges the same access through two groups into one row with both groups in via', () => {
    const r = load({
      'groups/a.yaml': grant('a', '[x@example.com]', '  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
      'groups/b.yaml': grant('b', '[X@Example.com]', '  - { permissionSet: ReadOnly, accounts: { tags: { env: prod } } }\n'),
    });
    expect(effectiveAccess(r.model!, '2026-01-01')).toEqual([
      { user: 'X@Example.com', account: 'prod', accountId: '111111111111', permissionSet: 'ReadOnly', via: ['a', 'b'] },
    ]);
  });

  it('shows a person as people.yaml spells them', () => {
    const r = load({
      'people.yaml': 'people:\n  - { login: x@example.com }\n',
      'groups/a.yaml': grant('a', '[X@example.com]', '  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
    });
    expect(effectiveAccess(r.model!, '2026-01-01').map((x) => x.user)).toEqual(['x@example.com']);
  });

  it('dates access that only temporary memberships give, with the latest of their dates', () => {
    const r = load({
      'groups/a.yaml': grant('a', '[{ user: x@example.com, expires: 2027-01-01 }]', '  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
      'groups/b.yaml': grant('b', '[{ user: x@example.com, expires: 2027-03-01 }, y@example.com]', '  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
      'groups/c.yaml': grant('c', '[y@example.com]', '  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
    });
    expect(effectiveAccess(r.model!, '2026-01-01').map((x) => `${x.user} ${x.via.join(',')} ${x.expires ?? 'standing'}`)).toEqual([
      'x@example.com a,b 2027-03-01',
      'y@example.com b,c standing',
    ]);
  });

  it('gives an Okta-only group no AWS rows', () => {
    const r = load({ 'groups/a.yaml': 'name: a\nmode: additive\nmembers: [x@example.com]\n' });
    expect(effectiveAccess(r.model!, '2026-01-01')).toEqual([]);
  });
});
