// The usage file (issue 28): its text, and reading it back with every field checked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { daysSince, formatUsageFile, readUsageFile, UsageIndex, type UsageFile } from '../../src/usage/file';
import { unusedThresholds } from '../../src/usage/threshold';
import { load } from '../support/helpers';

const FILE: UsageFile = {
  version: 1,
  generatedAt: '2026-12-01T00:00:00Z',
  since: '2026-01-01',
  until: '2026-11-30T23:59:00Z',
  sources: { files: 2, records: 10, used: 3 },
  lastUse: [
    { user: 'alice@example.com', accountId: '111111111111', permissionSet: 'ReadOnly', lastUsed: '2026-11-01T10:00:00Z', eventId: 'e1', eventName: 'GetRoleCredentials' },
    { user: 'Alice@Example.com', accountId: '111111111111', permissionSet: 'ReadOnly', lastUsed: '2026-11-20T10:00:00Z', eventId: 'e2', eventName: 'Federate' },
  ],
  unmatched: { users: [{ user: 'u-123', events: 4 }], roles: [] },
};

const write = (text: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-usage-file-'));
  fs.writeFileSync(path.join(dir, 'usage.json'), text);
  return path.join(dir, 'usage.json');
};

describe('the usage file', () => {
  it('is written one entry per line and read back as written', () => {
    const text = formatUsageFile(FILE);
    expect(text.split('\n').filter((l) => l.startsWith('    {"user"'))).toHaveLength(2);
    expect(readUsageFile(write(text))).toEqual(FILE);
    expect(readUsageFile(write(formatUsageFile({ ...FILE, lastUse: [] }))).lastUse).toEqual([]);
  });

  it('answers the latest use of a row, logins folded', () => {
    const index = new UsageIndex(FILE);
    expect(index.lastUse('ALICE@example.com', '111111111111', 'ReadOnly')?.eventId).toBe('e2');
    expect(index.lastUse('alice@example.com', '111111111111', 'Admin')).toBeUndefined();
    expect(daysSince('2026-11-20T23:59:00Z', '2026-12-01')).toBe(11);
    expect(daysSince('2026-11-30T23:59:00Z', '2026-12-01T00:01:00Z')).toBe(1);
  });

  it('names the JSON path of the first bad field', () => {
    const bad = (mutate: (o: Record<string, unknown>) => void): string => {
      const o = JSON.parse(formatUsageFile(FILE)) as Record<string, unknown>;
      mutate(o);
      try {
        readUsageFile(write(JSON.stringify(o)), 'usage.json');
      } catch (e) {
        return `${(e as { file: string }).file}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(bad((o) => { o.version = 2; })).toBe('usage.json: version: is 2, not 1: write it again with this accessctl');
    expect(bad((o) => { (o.lastUse as Record<string, unknown>[])[1]!.accountId = '1111'; })).toBe('usage.json: lastUse[1].accountId: "1111" is not valid');
    expect(bad((o) => { (o.lastUse as Record<string, unknown>[])[0]!.lastUsed = 'yesterday'; })).toBe('usage.json: lastUse[0].lastUsed: "yesterday" is not an ISO 8601 UTC time');
    expect(bad((o) => { delete (o.lastUse as Record<string, unknown>[])[0]!.user; })).toBe('usage.json: lastUse[0].user: is not a non-empty string');
    expect(() => readUsageFile(write('{"version": 1, '), 'usage.json')).toThrow(/^not JSON: /);
  });
});

describe('the unused-access thresholds', () => {
  it('default to 90 days and 30 for high privilege, and follow policy.yaml', () => {
    expect(unusedThresholds(load({}).model!)).toEqual({ days: 90, highPrivilegeDays: 30 });
    expect(unusedThresholds({ policy: { rules: { 'unused-access': { days: 60, highPrivilegeDays: 14 } } } } as never)).toEqual({ days: 60, highPrivilegeDays: 14 });
    expect(unusedThresholds({ policy: { rules: { 'unused-access': { days: 20 } } } } as never)).toEqual({ days: 20, highPrivilegeDays: 20 });
  });
});
