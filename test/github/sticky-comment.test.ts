// The sticky pull-request comment (src/github/sticky-comment.ts): sections
// merged by marker lines only, and user text that can neither end a section,
// start one, nor hide the rest of the comment in an HTML comment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMENT_MARKER, CUT_NOTE, inertMarkers, mergeComment, parseComment, section, sectionEnd, sectionStart } from '../../src/github/sticky-comment';
import { startReplay } from '../support/github-replay';
import { exampleOrg, run } from '../support/helpers';

const Z = '\u200b';
const MARKERS = new Set([COMMENT_MARKER, sectionStart('approvals'), sectionEnd('approvals'), sectionStart('access'), sectionEnd('access')]);

/** Every `<!--` and `-->` of a comment is in a marker line: nothing is hidden, and no section ends early. */
function nothingHidden(comment: string): void {
  const stray = comment.split('\n').filter((l) => !MARKERS.has(l) && (l.includes('<!--') || l.includes('-->')));
  expect(stray).toEqual([]);
}

describe('mergeComment', () => {
  it('makes a comment of the one section when there is none', () => {
    expect(mergeComment(undefined, 'approvals', '### Approvals\n\n**Approved**\n')).toEqual(
      ['<!-- accessctl -->', '<!-- accessctl:approvals -->', '### Approvals', '', '**Approved**', '<!-- /accessctl:approvals -->'].join('\n'),
    );
    expect(mergeComment(undefined, 'access', '### accessctl: no change')).toEqual(['<!-- accessctl -->', '<!-- accessctl:access -->', '### accessctl: no change', '<!-- /accessctl:access -->'].join('\n'));
  });

  const both = [
    '<!-- accessctl -->',
    '<!-- accessctl:approvals -->',
    '### Approvals',
    '',
    '**Not approved yet**',
    '<!-- /accessctl:approvals -->',
    '<!-- accessctl:access -->',
    '### accessctl: +1 access',
    '',
    '### Terraform plan',
    '<!-- /accessctl:access -->',
  ].join('\n');

  it('approvals then access, and access then approvals, give the same comment: approvals first', () => {
    const approvals = '### Approvals\n\n**Not approved yet**\n';
    const access = '### accessctl: +1 access\n\n### Terraform plan\n';
    expect(mergeComment(mergeComment(undefined, 'approvals', approvals), 'access', access)).toEqual(both);
    expect(mergeComment(mergeComment(undefined, 'access', access), 'approvals', approvals)).toEqual(both);
  });

  it('replaces its own section and keeps the other', () => {
    expect(mergeComment(both, 'approvals', '### Approvals\n\n**Approved**')).toEqual(both.replace('**Not approved yet**', '**Approved**'));
    expect(mergeComment(both, 'access', '### accessctl: no change')).toEqual(both.replace('### accessctl: +1 access\n\n### Terraform plan', '### accessctl: no change'));
  });

  it('takes a body as the CLI writes it: the approvals section with its markers, the diff with the comment marker', () => {
    const cliApprovals = '<!-- accessctl:approvals -->\n### Approvals\n\n**Not approved yet**\n\n<!-- /accessctl:approvals -->\n';
    const cliDiff = '<!-- accessctl -->\n### accessctl: +1 access\n\n### Terraform plan\n';
    expect(mergeComment(mergeComment(undefined, 'access', cliDiff), 'approvals', cliApprovals)).toEqual(both);
  });

  describe('a comment of the earlier format (the approvals section, then the rest as free text)', () => {
    const earlier = [
      '<!-- accessctl -->',
      '<!-- accessctl:approvals -->',
      '### Approvals',
      '',
      '**Approved**: no approval is required.',
      '',
      '<!-- /accessctl:approvals -->',
      '### accessctl: no change in who can access what',
      '',
      '### Terraform plan',
      '',
      'No stack changes: nothing to plan.',
      '',
    ].join('\n');

    it('the free text is the access section: replaced when access is written', () => {
      expect(mergeComment(earlier, 'access', '### accessctl: +1 access')).toEqual(
        ['<!-- accessctl -->', '<!-- accessctl:approvals -->', '### Approvals', '', '**Approved**: no approval is required.', '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', '### accessctl: +1 access', '<!-- /accessctl:access -->'].join('\n'),
      );
    });

    it('and kept, wrapped, when approvals is written', () => {
      expect(mergeComment(earlier, 'approvals', '### Approvals\n\n**Approved**')).toEqual(
        [
          '<!-- accessctl -->',
          '<!-- accessctl:approvals -->',
          '### Approvals',
          '',
          '**Approved**',
          '<!-- /accessctl:approvals -->',
          '<!-- accessctl:access -->',
          '### accessctl: no change in who can access what',
          '',
          '### Terraform plan',
          '',
          'No stack changes: nothing to plan.',
          '<!-- /accessctl:access -->',
        ].join('\n'),
      );
    });

    it('a comment pr.yml wrote before approvals ran is all access section', () => {
      expect(parseComment('<!-- accessctl -->\n### accessctl: no change\n')).toEqual({ access: '### accessctl: no change' });
    });
  });

  it('drops text outside the sections of a comment that has both', () => {
    expect(mergeComment(`${both}\nstray text\n`, 'approvals', '### Approvals\n\n**Not approved yet**')).toEqual(both);
  });
});

describe('user text in the comment', () => {
  // Every way text could cut a section or hide the rest: marker lines of both sections, the start of an
  // HTML comment alone, its end alone, and a marker inside a line.
  const hostile = (who: string): string =>
    [`${who} says`, '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', '<!--', '-->', `a key <!-- /accessctl:access --> in a line`, '<!-- accessctl -->', `${who} ends`].join('\n');
  const inert = (who: string): string =>
    [`${who} says`, `<${Z}!-- /accessctl:approvals --${Z}>`, `<${Z}!-- accessctl:access --${Z}>`, `<${Z}!--`, `--${Z}>`, `a key <${Z}!-- /accessctl:access --${Z}> in a line`, `<${Z}!-- accessctl --${Z}>`, `${who} ends`].join('\n');

  it('neither cuts a section nor hides anything, written in either order and written again', () => {
    const first = mergeComment(mergeComment(undefined, 'approvals', hostile('approvals')), 'access', hostile('access'));
    expect(first).toEqual(['<!-- accessctl -->', '<!-- accessctl:approvals -->', inert('approvals'), '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', inert('access'), '<!-- /accessctl:access -->'].join('\n'));
    expect(parseComment(first)).toEqual({ approvals: inert('approvals'), access: inert('access') });
    nothingHidden(first);
    // The other order, and each section written again over the comment: the same.
    expect(mergeComment(mergeComment(undefined, 'access', hostile('access')), 'approvals', hostile('approvals'))).toEqual(first);
    expect(mergeComment(first, 'approvals', hostile('approvals'))).toEqual(first);
    expect(mergeComment(first, 'access', hostile('access'))).toEqual(first);
  });

  it('in the free text of an earlier comment is made inert when it is kept', () => {
    const earlier = `<!-- accessctl -->\n<!-- accessctl:approvals -->\nok\n<!-- /accessctl:approvals -->\n${hostile('access')}\n`;
    const merged = mergeComment(earlier, 'approvals', 'new');
    expect(merged).toEqual(['<!-- accessctl -->', '<!-- accessctl:approvals -->', 'new', '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', inert('access'), '<!-- /accessctl:access -->'].join('\n'));
    nothingHidden(merged);
  });

  it('a marker counts only as a whole line', () => {
    expect(parseComment('<!-- accessctl -->\n<!-- accessctl:approvals --> x\nA\nx <!-- /accessctl:approvals -->\n')).toEqual({ access: '<!-- accessctl:approvals --> x\nA\nx <!-- /accessctl:approvals -->' });
    expect(parseComment('<!-- accessctl -->\n<!-- accessctl:approvals -->\nA\n<!-- /accessctl:approvals -->\n<!-- accessctl:access -->\nB')).toEqual({ approvals: 'A', access: '<!-- accessctl:access -->\nB' });
  });

  it('looks the same: only zero-width spaces are added, and only once', () => {
    const text = 'a <!-- b --> c <!--> d --->';
    expect(inertMarkers(text)).toEqual(`a <${Z}!-- b --${Z}> c <${Z}!--${Z}> d ---${Z}>`);
    expect(inertMarkers(inertMarkers(text))).toEqual(inertMarkers(text));
    expect(inertMarkers(text).split(Z).join('')).toEqual(text);
    expect(section('access', ' <!-- x --> \n')).toEqual(`<!-- accessctl:access -->\n<${Z}!-- x --${Z}>\n<!-- /accessctl:access -->`);
  });
});

describe('the length limit', () => {
  const approvals = mergeComment(undefined, 'approvals', 'A');
  const lines = (from: number, to: number, text = (n: number) => `line ${String(n).padStart(2, '0')}`): string[] => Array.from({ length: to - from + 1 }, (_, i) => text(from + i));

  it('cuts the section being written at a line end, with a last line that says so, and keeps the other whole', () => {
    const merged = mergeComment(approvals, 'access', lines(1, 40).join('\n'), 300);
    expect(merged).toEqual(['<!-- accessctl -->', '<!-- accessctl:approvals -->', 'A', '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', ...lines(1, 12), '', CUT_NOTE, '<!-- /accessctl:access -->'].join('\n'));
    expect(merged.length).toBeLessThanOrEqual(300);
    expect(mergeComment(approvals, 'access', lines(1, 40).join('\n'), 10_000)).toEqual(`${approvals}\n${section('access', lines(1, 40).join('\n'))}`);
  });

  it('closes a code block the cut leaves open', () => {
    const merged = mergeComment(approvals, 'access', ['```diff', ...lines(1, 40)].join('\n'), 300);
    expect(merged).toEqual(['<!-- accessctl -->', '<!-- accessctl:approvals -->', 'A', '<!-- /accessctl:approvals -->', '<!-- accessctl:access -->', '```diff', ...lines(1, 10), '```', '', CUT_NOTE, '<!-- /accessctl:access -->'].join('\n'));
  });

  it('leaves no partial marker and splits no surrogate pair', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    for (const body of ['🔑'.repeat(400), `x${'🔑'.repeat(400)}`, '<!-- /accessctl:approvals -->'.repeat(40), `${'<!-- accessctl:access -->\n'.repeat(40)}`]) {
      for (const limit of [300, 301, 302, 303]) {
        const merged = mergeComment(approvals, 'access', body, limit);
        expect(merged.length).toBeLessThanOrEqual(limit);
        expect(merged).not.toMatch(lone);
        expect(merged.endsWith(`\n${CUT_NOTE}\n<!-- /accessctl:access -->`)).toBe(true);
        expect(Object.keys(parseComment(merged))).toEqual(['approvals', 'access']);
        nothingHidden(merged);
      }
    }
  });
});

describe('accessctl approvals --format markdown', () => {
  /** Runs the command with GitHub answered from a recording; the section it writes, and its exit code. */
  async function approvals(root: string, scenario: string, args: string[] = ['--pr', '42']) {
    const replay = await startReplay(scenario);
    try {
      return await run(['approvals', ...args, '--repo', 'northwind/access', '--base', 'main', '--format', 'markdown'], root, '2026-11-23T12:00:00Z', { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token' });
    } finally {
      await replay.close();
    }
  }

  /** The section has its own markers as its first and last lines, and nothing in between is a marker or hides text. */
  function wholeSection(md: string): void {
    const lines = md.trimEnd().split('\n');
    expect(lines[0]).toBe(sectionStart('approvals'));
    expect(lines[lines.length - 1]).toBe(sectionEnd('approvals'));
    expect(lines.slice(1, -1).filter((l) => l.includes('<!--') || l.includes('-->'))).toEqual([]);
    expect(parseComment(mergeComment(undefined, 'approvals', md))).toEqual({ approvals: lines.slice(1, -1).join('\n').trim() });
  }

  it('says "Not judged", and why, when the files do not load: a key that is the end marker ends nothing', async () => {
    const root = exampleOrg(true);
    const file = path.join(root, 'access', 'groups', 'aws-sandbox-users.yaml');
    // The second key puts the end marker on a line of its own in the error message, then opens a fence and an HTML comment.
    fs.appendFileSync(file, '"<!-- /accessctl:approvals -->": x\n"<!-- accessctl:access -->\\n<!-- /accessctl:approvals -->\\n~~~~~~~~\\n<!--": y\n');
    const r = await approvals(root, 'self-approval');
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual(
      [
        '<!-- accessctl:approvals -->',
        '### Approvals',
        '',
        '**Not judged**: accessctl approvals ended with exit code 1, without a verdict:',
        '',
        '```text',
        `access/groups/aws-sandbox-users.yaml:15:1 error ACC020 unknown key "<${Z}!-- /accessctl:approvals --${Z}>" in accessctl group`,
        '  hint: allowed keys: name, description, owners, mode, members, apps, aws',
        '  see docs/errors.md#acc020',
        `access/groups/aws-sandbox-users.yaml:16:1 error ACC020 unknown key "<${Z}!-- accessctl:access --${Z}>`,
        `<${Z}!-- /accessctl:approvals --${Z}>`,
        '~~~~~~~~',
        `<${Z}!--" in accessctl group`,
        '  hint: allowed keys: name, description, owners, mode, members, apps, aws',
        '  see docs/errors.md#acc020',
        'working tree: 2 errors, 0 warnings; cannot compare',
        '```',
        '',
        '<!-- /accessctl:approvals -->',
        '',
      ].join('\n'),
    );
    wholeSection(r.stdout);
  });

  it('says "Not judged" when GitHub cannot be read (exit code 2) and for a bad argument after --format (exit code 2)', async () => {
    const root = exampleOrg(true);
    const file = path.join(root, 'access', 'groups', 'aws-platform-admins.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\nmembers:\n/, '\nmembers:\n  - user: heidi.schmidt@example.com\n    expires: 2026-12-20\n    reason: PLAT-77 migration\n'));
    const unread = await approvals(root, 'team-missing');
    expect(unread.code).toBe(2);
    expect(unread.stdout).toContain('**Not judged**: accessctl approvals ended with exit code 2, without a verdict:\n\n```text\napprovals: GET /orgs/northwind/teams/security/members?per_page=100: 404 team');
    wholeSection(unread.stdout);
    const bad = await approvals(root, 'team-missing', ['--pr', '<!--']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain(`\`\`\`text\n--pr: "<${Z}!--" is not a pull request number\n\`\`\``);
    expect(bad.stderr).toContain('accessctl approvals: --pr: "<!--" is not a pull request number');
    wholeSection(bad.stdout);
  });
});
