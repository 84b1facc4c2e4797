import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAccessDir, MAX_FILE_BYTES } from '../../src/load/source';
import { load, only, tempRepo, where } from '../support/helpers';

const group = (body: string): Record<string, string> => ({ 'groups/g.yaml': body });

describe('loader: encoding', () => {
  it('refuses invalid UTF-8 at the line of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('name: g\nmode: additive\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const d = only(load({ 'groups/g.yaml': bytes }));
    expect(d).toMatchObject({ code: 'ACC001', file: 'access/groups/g.yaml', line: 3, column: 17, message: 'invalid UTF-8 byte 0xe9' });
  });

  it('refuses UTF-16 with a byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: g\n', 'utf16le')]);
    expect(where(load({ 'groups/g.yaml': bytes }))).toEqual(['access/groups/g.yaml:1:1 ACC001']);
  });

  it('rejects overlong encodings and surrogates like a fatal decoder', () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      const bytes = Buffer.concat([Buffer.from('name: g\nmode: additive\n# '), Buffer.from(bad)]);
      expect(where(load({ 'groups/g.yaml': bytes }))).toEqual(['access/groups/g.yaml:3:3 ACC001']);
    }
  });

  it('accepts a UTF-8 byte order mark and multi-byte text', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: g\nmode: additive\ndescription: Zoë’s café 🚀\n')]);
    expect(where(load({ 'groups/g.yaml': bytes }))).toEqual([]);
  });
});

describe('loader: YAML', () => {
  it('reports a syntax error at its position', () => {
    expect(where(load(group('name: g\nmode: [additive\n')))).toEqual(['access/groups/g.yaml:2:7 ACC010']);
  });

  it('refuses tabs used for indentation', () => {
    expect(where(load(group('name: g\nmode: additive\nmembers:\n\t- a@example.com\n')))).toContain('access/groups/g.yaml:4:1 ACC011');
  });

  it('refuses duplicate keys at the second key', () => {
    expect(where(load(group('name: g\nmode: additive\nname: h\n')))).toEqual(['access/groups/g.yaml:3:1 ACC012']);
  });

  it('refuses an alias bomb quickly instead of expanding it', () => {
    let yaml = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let prev = 'a';
    for (let i = 0; i < 12; i++) {
      yaml += `n${i}: &n${i} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = `n${i}`;
    }
    const started = process.hrtime.bigint();
    const d = only(load({ 'policy.yaml': yaml }));
    expect(d).toMatchObject({ code: 'ACC013', file: 'access/policy.yaml', line: 2 });
    // 9^12 items if expanded: only a cap makes this return at all.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(10);
  });

  it('allows a few aliases and resolves them', () => {
    const r = load(group('name: g\nmode: additive\nowners: &o [a@example.com]\nmembers: *o\n'));
    expect(where(r)).toEqual([]);
    expect(r.model!.groups[0].members.map((m) => m.login)).toEqual(['a@example.com']);
  });

  it('refuses an alias without an anchor', () => {
    expect(where(load(group('name: g\nmode: additive\nmembers: *nope\n')))).toEqual(['access/groups/g.yaml:3:10 ACC014']);
  });

  it('refuses a second document', () => {
    expect(where(load(group('name: g\nmode: additive\n---\nname: h\n')))).toEqual(['access/groups/g.yaml:3:1 ACC015']);
  });

  it('refuses explicit tags', () => {
    expect(where(load(group('name: !!str g\nmode: additive\n')))).toEqual(['access/groups/g.yaml:1:13 ACC016']);
    expect(where(load(group('name: g\nmode: !custom additive\n')))).toEqual(['access/groups/g.yaml:2:7 ACC016']);
  });

  it('treats an empty or comment-only file as an error, never as "nothing declared"', () => {
    expect(where(load(group('')))).toEqual(['access/groups/g.yaml:1:1 ACC006']);
    expect(where(load(group('# all members removed\n\n')))).toEqual(['access/groups/g.yaml:1:1 ACC006']);
  });

  it('keeps __proto__ and constructor keys harmless: plain unknown keys, no pollution', () => {
    const r = load(group('name: g\nmode: additive\n__proto__: { polluted: yes }\nconstructor: 1\n'));
    expect(where(r)).toEqual(['access/groups/g.yaml:3:1 ACC020', 'access/groups/g.yaml:4:1 ACC020']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('loader: files', () => {
  it('refuses a YAML file in a place it does not read, with a suggestion', () => {
    const d = only(load({ 'group/g.yaml': 'name: g\n' }));
    expect(d).toMatchObject({ code: 'ACC003', file: 'access/group/g.yaml', line: 1, message: '"group/g.yaml" is not a file accessctl reads (did you mean "groups"?)' });
  });

  it('refuses two settings files', () => {
    const r = load({ 'settings.yml': 'okta: {}\n' });
    expect(where(r)).toEqual(['access/settings.yml:1:1 ACC003']);
  });

  it('requires settings.yaml and an accounts file', () => {
    expect(where(load({ 'settings.yaml': null, 'accounts.yaml': null }))).toEqual([
      'access/accounts.yaml:1:1 ACC004',
      'access/settings.yaml:1:1 ACC004',
    ]);
  });

  it('reads accounts split over several files as one list', () => {
    const r = load({
      'accounts.yaml': null,
      'accounts/prod.yaml': 'accounts:\n  - { name: prod, id: "111111111111", ou: Workloads/Prod }\n',
      'accounts/dev.yaml': 'accounts:\n  - { name: dev, id: "022222222222", ou: Workloads/Dev }\n',
    });
    expect(where(r)).toEqual([]);
    expect(r.model!.accounts.map((a) => a.name)).toEqual(['dev', 'prod']);
  });

  it('reads a directory in sorted order, skipping hidden files, reporting Markdown and refusing oversized files', () => {
    const root = tempRepo({ 'groups/.draft.yaml': 'x', 'README.md': '# notes', 'groups/big.yaml': 'a'.repeat(10) });
    fs.writeFileSync(path.join(root, 'access/groups/big.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
    const { sources, diagnostics } = readAccessDir('access', root);
    expect(sources.map((s) => s.rel)).toEqual(['accounts.yaml', 'permission-sets/ReadOnly.yaml', 'settings.yaml']);
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['access/README.md ACC009', 'access/groups/big.yaml ACC002']);
  });

  it('reports a missing access directory', () => {
    const root = tempRepo({});
    const { diagnostics } = readAccessDir('nope', root);
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual(['nope ACC005 access directory "nope" not found']);
  });
});
