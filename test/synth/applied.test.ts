// The apply record: which stacks a run must plan and apply so that what is
// live becomes what the files say today. Pure functions over real models and
// layouts, then the two commands that read and write the record.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { load, run, tempRepo } from '../support/helpers';
import { EMPTY_RECORD, parseAppliedRecord, pendingStacks, recordApplied, stackDigests, type AppliedRecord } from '../../src/synth/applied';
import { buildLayout } from '../../src/synth/layout';

const C1 = '1'.repeat(40);
const C3 = '3'.repeat(40);

const TEAM = `name: team
mode: authoritative
owners: [lead@example.com]
members:
  - lead@example.com
  - { user: temp@example.com, expires: 2026-12-01, reason: INC-7 }
apps: [aws]
aws:
  - { permissionSet: ReadOnly, accounts: [prod] }
`;

function digests(files: Record<string, string>, today: string): Record<string, string> {
  const r = load(files);
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics));
  return stackDigests(buildLayout({ model: r.model, today }), r.model.settings.backend);
}

function applied(record: AppliedRecord, d: Record<string, string>, commit: string, stacks = Object.keys(d)): AppliedRecord {
  return stacks.reduce((r, s) => recordApplied(r, s, { commit, digest: d[s]!, appliedAt: '2026-12-01T10:00:00.000Z' }), record);
}

describe('pendingStacks', () => {
  const v1 = { 'groups/team.yaml': TEAM };
  // merge 2: a grant added (aws); merge 3: a member added (okta).
  const v2 = { 'groups/team.yaml': TEAM.replace('accounts: [prod] }', 'accounts: [prod, dev] }') };
  const v3 = { 'groups/team.yaml': v2['groups/team.yaml'].replace('  - lead@example.com\n', '  - lead@example.com\n  - new@example.com\n') };

  it('plans every stack that was never applied, and none once each is recorded', () => {
    const d = digests(v1, '2026-11-30');
    expect(pendingStacks(EMPTY_RECORD, d)).toEqual({ stacks: ['okta', 'aws'], all: ['okta', 'aws'], removed: [], reasons: { okta: 'never applied', aws: 'never applied' } });
    expect(pendingStacks(applied(EMPTY_RECORD, d, C1), d).stacks).toEqual([]);
  });

  it('an expiry passing between two runs plans the okta stack, with nothing merged', () => {
    const record = applied(EMPTY_RECORD, digests(v1, '2026-12-01'), C1);
    expect(pendingStacks(record, digests(v1, '2026-12-01')).stacks).toEqual([]);
    // temp@example.com's last day was 2026-12-01: on the 2nd they are no member.
    const next = pendingStacks(record, digests(v1, '2026-12-02'));
    expect(next.stacks).toEqual(['okta']);
    expect(next.reasons.okta).toBe('differs from what was applied from 111111111111 at 2026-12-01T10:00:00.000Z');
  });

  it('a cancelled run leaves its changes pending: the next run plans them with its own', () => {
    const record = applied(EMPTY_RECORD, digests(v1, '2026-11-30'), C1);
    // The run for merge 2 is cancelled (GitHub drops a pending run): nothing is recorded.
    // The run for merge 3 compares with the record, not with the previous push.
    expect(pendingStacks(record, digests(v3, '2026-11-30')).stacks).toEqual(['okta', 'aws']);
  });

  it('a failed apply stays pending; the stacks that were applied do not', () => {
    const d2 = digests(v3, '2026-11-30');
    // okta applied, aws failed: only okta is recorded.
    const record = applied(applied(EMPTY_RECORD, digests(v1, '2026-11-30'), C1), d2, C3, ['okta']);
    expect(pendingStacks(record, d2)).toMatchObject({ stacks: ['aws'], reasons: { aws: 'differs from what was applied from 111111111111 at 2026-12-01T10:00:00.000Z' } });
  });

  it('two merges applied together leave nothing pending', () => {
    const record = applied(EMPTY_RECORD, digests(v1, '2026-11-30'), C1);
    const d = digests(v3, '2026-11-30');
    expect(pendingStacks(record, d).stacks).toEqual(['okta', 'aws']);
    expect(pendingStacks(applied(record, d, C3), d).stacks).toEqual([]);
  });

  it('does not depend on the base a run compares with: renames and lookups are not part of the digest', () => {
    const r = load(v2);
    const m = r.model!;
    const plain = stackDigests(buildLayout({ model: m, today: '2026-11-30' }), m.settings.backend);
    const withBase = stackDigests(buildLayout({ model: m, today: '2026-11-30', base: { groups: new Set(['old-team']), permissionSets: new Set(), renames: [{ kind: 'group', from: 'old-team', to: 'team', file: 'access/groups/team.yaml' }], logins: new Set(['gone@example.com']) } }), m.settings.backend);
    expect(withBase).toEqual(plain);
  });

  it('lists stacks the record has and the files no longer do', () => {
    const d = digests(v1, '2026-11-30');
    const record = recordApplied(applied(EMPTY_RECORD, d, C1), 'aws-old', { commit: C1, digest: d.aws!, appliedAt: '2026-11-01T00:00:00Z' });
    expect(pendingStacks(record, d).removed).toEqual(['aws-old']);
  });
});

describe('parseAppliedRecord', () => {
  it.each([
    ['{', /^not JSON: /],
    ['{"version":2,"stacks":{}}', /^not an accessctl apply record \(version 1\)$/],
    ['{"version":1,"stacks":[]}', /^"stacks" must be an object$/],
    ['{"version":1,"stacks":{"okta":{"digest":"md5:x","commit":"' + C1 + '","appliedAt":"2026-12-01T00:00:00Z"}}}', /^stacks\.okta\.digest must be sha256:<64 hex digits>$/],
    ['{"version":1,"stacks":{"okta":{"digest":"sha256:' + 'a'.repeat(64) + '","commit":"main","appliedAt":"2026-12-01T00:00:00Z"}}}', /^stacks\.okta\.commit must be a 40-digit commit id$/],
  ])('refuses %s', (text, message) => {
    const r = parseAppliedRecord(text);
    expect('error' in r && r.error).toMatch(message);
  });
});

describe('accessctl affected --applied and record-applied', () => {
  it('plans what was never applied, records an apply, then plans only what the date has changed', async () => {
    const root = tempRepo({ 'groups/team.yaml': TEAM });
    const first = await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, '2026-12-01T08:00:00Z');
    expect([first.code, first.stderr]).toEqual([0, '']);
    const j = JSON.parse(first.stdout) as { stacks: string[]; digests: Record<string, string> };
    expect(j.stacks).toEqual(['okta', 'aws']);
    for (const s of j.stacks) {
      const r = await run(['record-applied', '--record', 'applied.json', '--stack', s, '--digest', j.digests[s]!, '--commit', C1], root, '2026-12-01T09:00:00Z');
      expect(r).toEqual({ code: 0, stdout: `applied.json: ${s} applied from 111111111111\n`, stderr: '' });
    }
    expect(JSON.parse(fs.readFileSync(path.join(root, 'applied.json'), 'utf8')).stacks.okta).toEqual({ commit: C1, digest: j.digests.okta, appliedAt: '2026-12-01T09:00:00.000Z' });
    expect((await run(['affected', '--applied', 'applied.json'], root, '2026-12-01T23:00:00Z')).stdout).toBe('every stack is as last applied\n');
    expect((await run(['affected', '--applied', 'applied.json'], root, '2026-12-02T00:05:00Z')).stdout).toBe('okta\tdiffers from what was applied from 111111111111 at 2026-12-01T09:00:00.000Z\n');
  });

  it('refuses a record that is not one, and bad arguments, without writing', async () => {
    const root = tempRepo({ 'groups/team.yaml': TEAM });
    fs.writeFileSync(path.join(root, 'applied.json'), '{"version": 1}');
    const r = await run(['affected', '--applied', 'applied.json'], root);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'applied.json: not a valid apply record: "stacks" must be an object\n' });
    const w = await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', `sha256:${'a'.repeat(64)}`, '--commit', C1], root);
    expect([w.code, w.stderr]).toEqual([1, 'applied.json: not a valid apply record: "stacks" must be an object\n']);
    const bad = await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', 'x', '--commit', C1], root);
    expect(bad.code).toBe(2);
    expect(fs.readFileSync(path.join(root, 'applied.json'), 'utf8')).toBe('{"version": 1}');
  });
});
