// bench/generate.ts: the benchmark's org is deterministic, valid, and as large as its flags say.
import { generateOrg, LARGE, parseSize } from '../../bench/generate';
import { effectiveAccess } from '../../src/model/access';
import { checkSources } from '../../src/check';
import type { SourceFile } from '../../src/load/source';

const SMALL = { groups: 40, accounts: 30, users: 400, permissionSets: 12, grantsPerGroup: 3, accountsPerGrant: 5, membersPerGroup: 6, seed: 3 };

function sourcesOf(files: Map<string, string>): SourceFile[] {
  return [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rel, text]) => ({ file: `access/${rel}`, rel, bytes: Buffer.from(text) }));
}

describe('bench/generate', () => {
  it('writes the same bytes for the same flags, and other bytes for another seed', () => {
    expect([...generateOrg(SMALL)]).toEqual([...generateOrg(SMALL)]);
    expect(generateOrg({ ...SMALL, seed: 4 }).get('groups/team-0000.yaml')).not.toBe(generateOrg(SMALL).get('groups/team-0000.yaml'));
  });

  it('generates a valid org with exactly groups x grants x accounts assignments', () => {
    const r = checkSources(sourcesOf(generateOrg(SMALL)), { today: '2026-11-23' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.model!.groups).toHaveLength(40);
    expect(r.model!.accounts).toHaveLength(30);
    expect(r.model!.permissionSets).toHaveLength(12);
    expect(r.model!.people).toHaveLength(400);
    expect(r.model!.assignments).toHaveLength(40 * 3 * 5);
    expect(effectiveAccess(r.model!, '2026-11-23').length).toBeGreaterThan(0);
  });

  it('reads its flags, defaulting to the 100,000-assignment org, and refuses impossible sizes', () => {
    expect(parseSize([])).toEqual(LARGE);
    expect(LARGE.groups * LARGE.grantsPerGroup * LARGE.accountsPerGrant).toBe(100_000);
    expect(parseSize(['--groups', '10', '--accounts-per-grant', '2'])).toEqual({ ...LARGE, groups: 10, accountsPerGrant: 2 });
    expect(() => parseSize(['--groups', 'many'])).toThrow('--groups takes a positive whole number');
    expect(() => parseSize(['--accounts', '3', '--accounts-per-grant', '4'])).toThrow('--accounts-per-grant cannot exceed --accounts');
  });
});
