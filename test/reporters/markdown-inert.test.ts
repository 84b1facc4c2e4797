// User text (descriptions, reasons, names, commit subjects and authors, plan
// keys) through the real commands' markdown: the PR comment (diff,
// plan-summary), the PR body (request and expire, collected by
// .github/scripts/collect-change.sh), the review sheet and the audit report.
// Each way past the escaping has its exact escaped form asserted where it
// lands, and its raw form asserted absent.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

const Z = '\u200b';
const NOW = '2026-11-23T12:00:00Z';

interface Case {
  readonly what: string;
  readonly text: string;
  /** The escaped text where it stands inside a line (after other words). */
  readonly mid: string;
  /** The escaped text where it starts a line or a table cell, when that differs. */
  readonly start?: string;
  /** Forms that must not be in the output at all. */
  readonly raw: ReadonlyArray<string | RegExp>;
  /** False for text git does not keep as a one-line subject (line breaks, control characters). */
  readonly subject?: false;
}

const CASES: readonly Case[] = [
  { what: 'a backslash-escaped link', text: '\\[click1](https://evil1.example)', mid: `\\\\\\[click1\\](https:${Z}//evil1.example)`, raw: ['[click1](', 'https://evil1'] },
  { what: 'a mention with a trailing dot', text: 'ping @octocat2.', mid: `ping @${Z}octocat2.`, raw: ['@octocat2'] },
  { what: 'a mention after an @', text: '@@octocat3', mid: `@${Z}@${Z}octocat3`, raw: ['@octocat3'] },
  { what: 'a team mention', text: 'cc @acme/security4', mid: `cc @${Z}acme/security4`, raw: ['@acme/'] },
  { what: 'an issue reference', text: 'see #1235', mid: `see #${Z}1235`, raw: ['#1235'] },
  { what: 'a closing keyword', text: 'fixes #1236', mid: `fixes #${Z}1236`, raw: ['fixes #1236', '#1236'] },
  { what: 'a cross-repository reference', text: 'closes org/repo#1237', mid: `closes org/repo#${Z}1237`, raw: ['#1237'] },
  { what: 'GH- references', text: 'resolves GH-1238 and gh-1239', mid: `resolves GH-${Z}1238 and gh-${Z}1239`, raw: ['GH-1238', 'gh-1239'] },
  { what: 'emoji shortcodes', text: 'ship :rocket: :+1:', mid: `ship :${Z}rocket: :${Z}+1:`, raw: [':rocket:', ':+1:'] },
  { what: 'strong emphasis', text: '***bold10***', mid: '\\*\\*\\*bold10\\*\\*\\*', raw: [/(?<!\\)\*bold10/, /bold10\*/] },
  { what: 'underscore emphasis', text: '__under11__', mid: '\\_\\_under11\\_\\_', raw: [/(?<!\\)_under11/, /under11_/] },
  { what: 'strikethrough', text: '~~strike12~~', mid: '\\~\\~strike12\\~\\~', raw: [/(?<!\\)~strike12/, /strike12~/] },
  { what: 'an autolink in angle brackets', text: '<https://evil13.example>', mid: `&lt;https:${Z}//evil13.example&gt;`, raw: ['<https:', 'https://evil13'] },
  { what: 'a bare URL', text: 'visit https://evil14.example/x', mid: `visit https:${Z}//evil14.example/x`, raw: ['https://evil14'] },
  { what: 'www links', text: 'www.evil15.example and _WWW.evil16.example_', mid: `www${Z}.evil15.example and \\_WWW${Z}.evil16.example\\_`, raw: [/www\.evil1[56]/i] },
  { what: 'a mailto: link', text: 'mailto:x17@evil.example', mid: `mailto:${Z}x17@evil.example`, raw: ['mailto:x17'] },
  { what: 'a javascript: link', text: 'javascript:alert(18)', mid: `javascript:${Z}alert(18)`, raw: ['javascript:alert'] },
  { what: 'an HTML tag', text: '<img src=x19 onerror=alert(1)>', mid: '&lt;img src=x19 onerror=alert(1)&gt;', raw: ['<img'] },
  { what: 'HTML entities', text: '&lt;b20&gt; &#64;x20', mid: `&amp;lt;b20&amp;gt; &amp;#${Z}64;x20`, raw: ['&lt;b20', '&#64;'] },
  { what: 'the comment marker', text: '<!-- accessctl -->', mid: '&lt;!-- accessctl --&gt;', raw: [/(?<!^)<!-- accessctl/] },
  {
    what: 'bidi overrides and isolates',
    text: 'admin\u202egnp21.exe \u2066iso\u2067la\u2068te\u2069',
    mid: 'admin\ufffdgnp21.exe \ufffdiso\ufffdla\ufffdte\ufffd',
    raw: [/[\u202a-\u202e\u2066-\u2069]/],
  },
  {
    what: 'zero-width and other invisible characters',
    text: 'zw\u200b22\u200c\u200d\u200e\u200f\ufeff\u2060end \u{e0041}\u00ad',
    mid: 'zw\ufffd22\ufffd\ufffd\ufffd\ufffd\ufffd\ufffdend \ufffd\ufffd',
    raw: [`zw${Z}22`, /[\u200c-\u200f\ufeff\u2060\u00ad]/, /\u{e0041}/u],
  },
  { what: 'table pipes', text: 'a|b22 | c', mid: 'a\\|b22 \\| c', raw: [/(?<!\\)\|b22/] },
  { what: 'line breaks', text: 'line23\n\n# heading23\r\n| t |', mid: `line23 #${Z} heading23 \\| t \\|`, raw: [/line23\n/, /^# heading23/m], subject: false },
  { what: 'line and paragraph separators', text: 'ls24\u2028next\u2029end', mid: 'ls24 next end', raw: [/[\u2028\u2029]/] },
  { what: 'math', text: '$\\color{red}{x25}$', mid: '\\$\\\\color{red}{x25}\\$', raw: [/(?<!\\)\$\\color/] },
  { what: 'control characters', text: 'bell\u0007x26\u001b[31m', mid: 'bell\ufffdx26\ufffd\\[31m', raw: [/[\u0007\u001b]/], subject: false },
  // Where the text starts a line (the description in the review sheet) or a table cell.
  { what: 'a bullet list', text: '- item27', mid: '- item27', start: '\\- item27', raw: [/^- item27/m] },
  { what: 'a plus list', text: '+ item28', mid: '+ item28', start: '\\+ item28', raw: [/^\+ item28/m] },
  { what: 'an ordered list', text: '1. item29', mid: '1. item29', start: '1\\. item29', raw: [/^1\. item29/m] },
  { what: 'an ordered list with )', text: '2) item30', mid: '2) item30', start: '2\\) item30', raw: [/^2\) item30/m] },
  { what: 'an indented code block', text: '    code31', mid: '    code31', start: 'code31', raw: [/^ {4}code31/m], subject: false },
  { what: 'a heading underline', text: '=== 32', mid: '=== 32', start: '\\=== 32', raw: [/^=== 32/m] },
  { what: 'a thematic break', text: '--- 33', mid: '--- 33', start: '\\--- 33', raw: [/^--- 33/m] },
];

/** Control and direction characters are refused in the access files (ACC028): the cases files can still hold. Commit subjects and plan keys get every case. */
const REFUSED_IN_FILES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const FILE_CASES = CASES.filter((c) => !REFUSED_IN_FILES.test(c.text));
/** The text a file holds for a case: the case, or a plain stand-in where the loader refuses it. */
const inFile = (c: Case): string => (REFUSED_IN_FILES.test(c.text) ? `refused in files: ${c.what}` : c.text);

const startOf = (c: Case): string => c.start ?? c.mid;
const group = (i: number): string => `case-${String(i).padStart(2, '0')}`;
/** A YAML double-quoted scalar holding exactly `s` (everything but printable ASCII escaped). */
const yq = (s: string): string =>
  `"${[...s].map((ch) => {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') return `\\${ch}`;
    if (cp >= 0x20 && cp < 0x7f) return ch;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  }).join('')}"`;

/** Asserts that no raw form of any case is in the output, nor anything GitHub would link or hide. */
function expectInert(out: string, allowedRefs: readonly string[] = []): void {
  for (const c of CASES) {
    for (const r of c.raw) {
      if (typeof r === 'string') expect(out).not.toContain(r);
      else expect(out).not.toMatch(r);
    }
  }
  // Every zero-width space is one the escaping put after @ # : GH- or inside www.
  expect(out.match(/(?<![@#:-]|www)\u200b/gi)).toBeNull();
  expect(out.match(/(?<![A-Za-z0-9])@[A-Za-z0-9]/g)).toBeNull();
  expect((out.match(/#\d+/g) ?? []).filter((r) => !allowedRefs.includes(r))).toEqual([]);
  expect(out).not.toMatch(/:\/\/|www\.|gh-\d/i);
  expect(out).not.toMatch(/[\u200c-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/);
}

/** The stdout of one run of the command, shared by the tests of a describe block (asserted to come with no stderr). */
function outputOf(argv: string[], cwd: string): () => string {
  let out = '';
  beforeAll(async () => {
    const r = await run(argv, cwd, NOW);
    expect(r.stderr).toBe('');
    out = r.stdout;
  });
  return () => out;
}

function git(cwd: string, args: string[], author = 'Ada Admin', date = '2026-01-10T09:00:00Z'): string {
  return gitIn(cwd, args, { author, email: 'ada@example.com', date });
}

/** A group for case i: its description and a member's reason are the hostile text (or plain ones). */
const groupYaml = (i: number, description: string, reason?: string): string =>
  `name: ${group(i)}\ndescription: ${yq(description)}\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - lead@example.com\n${reason === undefined ? '' : `  - { user: new@example.com, reason: ${yq(reason)} }\n`}`;

/** A group with a hostile name holding ReadOnly on an account with a hostile name: names reach table cells. */
const OPS = 'name: "ops @octocat40 & co (__bold40__)"\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: ["sandbox @octocat41"] }\n';
const ACCOUNTS = 'accounts:\n  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { env: prod } }\n  - { name: dev, id: "022222222222", ou: Workloads/Dev, tags: { env: dev } }\n  - { name: "sandbox @octocat41", id: "333333333333", ou: Sandbox }\n';
const OPS_NAME = `ops @${Z}octocat40 &amp; co (\\_\\_bold40\\_\\_)`;
const SANDBOX = `sandbox @${Z}octocat41`;

const waivers = (): string =>
  `waivers:\n${CASES.map((c, i) => `  - { rule: group-owner, subject: ${group(i)}, reason: ${yq(`${inFile(c)} (waiver reason)`)}, expires: 2027-01-01 }\n`).join('')}`;

/**
 * A history: "Initial access (#1)" with plain descriptions, then one direct
 * push per case whose subject is the hostile text and which puts the text in
 * the group's description and a new member's reason, a direct push by an
 * author with a hostile name, and the waivers, merged as #2.
 */
function history(): { root: string; initial: string } {
  const root = tempRepo({ 'accounts.yaml': ACCOUNTS, 'groups/ops.yaml': OPS, ...Object.fromEntries(CASES.map((_, i) => [`groups/${group(i)}.yaml`, groupYaml(i, 'plain')])) });
  git(root, ['init', '-q']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'Initial access (#1)']);
  const initial = git(root, ['rev-parse', 'HEAD']).trim();
  CASES.forEach((c, i) => {
    fs.writeFileSync(path.join(root, 'access', 'groups', `${group(i)}.yaml`), groupYaml(i, inFile(c), inFile(c)));
    git(root, ['commit', '-qa', '--allow-empty', '--cleanup=verbatim', '-m', c.subject === false ? `case ${i}` : c.text], 'Ada Admin', `2026-02-${String(i % 28 + 1).padStart(2, '0')}T10:00:00Z`);
  });
  fs.writeFileSync(path.join(root, 'access', 'groups', 'ops.yaml'), OPS.replace('members: [lead@example.com]', 'members: [lead@example.com, dev@example.com]'));
  git(root, ['commit', '-qam', 'dev joins ops'], '@@octocat42 fixes #1242 :rocket: now', '2026-03-01T10:00:00Z');
  fs.writeFileSync(path.join(root, 'access', 'policy.yaml'), waivers());
  git(root, ['add', '-A'], 'Ada Admin', '2026-03-02T10:00:00Z');
  git(root, ['commit', '-qm', 'Waivers (#2)'], 'Ada Admin', '2026-03-02T10:00:00Z');
  return { root, initial };
}

describe('user text renders as inert text in every markdown output', () => {
  const { root, initial } = history();

  describe('the PR comment: accessctl diff --format markdown', () => {
    const md = outputOf(['diff', '--base', initial, '--head', 'HEAD', '--format', 'markdown'], root);

    it.each(FILE_CASES.map((c) => [c.what, c, CASES.indexOf(c)] as const))('escapes %s in a description, a member reason and a waiver reason', (_what, c, i) => {
      expect(md()).toContain(`\n- \`~\` group ${group(i)}: description plain → ${c.mid}\n`);
      expect(md()).toContain(`\n- \`+\` new@example.com joins ${group(i)} (${c.mid})\n`);
      expect(md()).toContain(`\n- \`+\` waiver group-owner\\|${group(i)} until 2027-01-01: ${c.mid} (waiver reason)\n`);
    });

    it('escapes group and account names in table cells, and leaves nothing linkable or hidden', () => {
      expect(md()).toContain(`| dev@example.com | ${SANDBOX} \`333333333333\` | ReadOnly | ${OPS_NAME} |  |`);
      expect(md()).toContain(`| ${SANDBOX} \`333333333333\` | 1 | 0 |`);
      expect(md().startsWith('<!-- accessctl -->\n')).toBe(true);
      expectInert(md());
    });
  });

  describe('accessctl review --format markdown', () => {
    const md = outputOf(['review', '--format', 'markdown'], root);

    it.each(FILE_CASES.map((c) => [c.what, c, CASES.indexOf(c)] as const))('escapes %s in the description paragraph and the reason cell', (_what, c, i) => {
      expect(md()).toContain(`\n## ${group(i)}\n\n${startOf(c)}\n\n- Owners: lead@example.com\n- Mode: authoritative\n`);
      expect(md()).toMatch(new RegExp(`\\n\\| new@example\\.com \\| [^\\n]* \\| standing \\| ${escapeRegExp(startOf(c))} \\| \\[ \\] \\| \\[ \\] \\|\\n`));
    });

    it('escapes a group name in its heading, and leaves nothing linkable or hidden', () => {
      expect(md()).toContain(`\n## ${OPS_NAME}\n`);
      expect(md()).toContain(`- Gives: ReadOnly on \\[${SANDBOX}\\] (1 account)\n`);
      expectInert(md(), ['#1', '#2']);
    });
  });

  describe('accessctl audit --format markdown', () => {
    const md = outputOf(['audit', '--format', 'markdown'], root);

    it.each(CASES.filter((c) => c.subject !== false).map((c) => [c.what, c] as const))('escapes %s in a direct push subject', (_what, c) => {
      expect(md()).toMatch(new RegExp(`\\n\\| [0-9TZ:-]+ \\| \`[0-9a-f]{12}\` \\| Ada Admin \\| ${escapeRegExp(startOf(c))} \\|\\n`));
    });

    it('escapes the author, the group and account names of events, and leaves nothing linkable or hidden', () => {
      const author = escapeRegExp(`@${Z}@${Z}octocat42 fixes #${Z}1242 :${Z}rocket: now`);
      expect(md()).toMatch(new RegExp(`\\| ${author} \\| dev joins ops \\|\\n`));
      expect(md()).toMatch(new RegExp(`\\| added :warning: \\| dev@example\\.com \\| ${escapeRegExp(SANDBOX)} \`333333333333\` \\| ReadOnly \\| ${escapeRegExp(OPS_NAME)} \\| \`[0-9a-f]{12}\` \\|  \\| ${author} \\|\\n`));
      expectInert(md(), ['#1']);
    });
  });
});

describe('the plan summary: accessctl plan-summary --format markdown', () => {
  const root = tempRepo({});
  const resource = (key: string): unknown => ({
    address: `okta_group.this[${JSON.stringify(key)}]`, mode: 'managed', type: 'okta_group', name: 'this', index: key,
    provider_name: 'registry.terraform.io/okta/okta', change: { actions: ['create'], before: null, after: { name: key }, after_unknown: {} },
  });
  const doc = {
    format_version: '1.2',
    terraform_version: '1.13.3',
    planned_values: { outputs: { pending_scim_groups: { value: CASES.map((c) => c.text) } } },
    resource_changes: CASES.map((c) => resource(c.text)),
  };
  // The plan's file name is shown too.
  fs.writeFileSync(path.join(root, 'fixes #1243.json'), JSON.stringify(doc));
  const md = outputOf(['plan-summary', 'fixes #1243.json', '--format', 'markdown'], root);

  it.each(CASES.map((c) => [c.what, c] as const))('escapes %s in a resource key and a pending group', (_what, c) => {
    expect(md()).toContain(`\n- \`+\` group ${c.mid} is created (fixes #${Z}1243.json)\n`);
    const prefix = 'Waiting for the SCIM push: ';
    const line = md().split('\n').find((l) => l.startsWith(prefix))!;
    expect(line.slice(prefix.length, -1).split(', ')).toContain(startOf(c));
  });

  it('leaves nothing linkable or hidden', () => {
    expectInert(md());
  });
});

describe('the inline policy details of the PR comment', () => {
  it('shows a permission set name in raw HTML without backslashes, and a statement with nothing hidden or closing the block', async () => {
    const ps = (resource: string): string => `name: Data__Eng\nmanagedPolicies: [ViewOnlyAccess]\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Allow, Action: "s3:GetObject", Resource: ${yq(resource)} }\n`;
    const root = tempRepo({
      'permission-sets/Data__Eng.yaml': ps('arn:aws:s3:::a/*'),
      'groups/data.yaml': 'name: data\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com]\napps: [aws]\naws:\n  - { permissionSet: Data__Eng, accounts: [dev] }\n',
    });
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'base']);
    fs.writeFileSync(path.join(root, 'access/permission-sets/Data__Eng.yaml'), ps('arn:aws:s3:::b/\u00ad```x'));
    const r = await run(['diff', '--base', 'HEAD', '--format', 'markdown'], root, NOW);
    expect(r.code).toBe(0);
    // The <summary> line is raw HTML to GitHub: entities and zero-width spaces work there, backslashes would show.
    expect(r.stdout).toContain(
      '\n<details><summary>Inline policy of Data__Eng</summary>\n\n```diff\n' +
        '- {"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::a/*"}\n' +
        '+ {"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::b/\ufffd\'\'\'x"}\n```\n',
    );
    expect(r.stdout).toContain('\n- `~` permission set Data\\_\\_Eng: inline policy +1/-1 statements\n');
  });
});

/** A copy of the example org in a git repository, as the access-request and expire workflows check it out. */
function exampleOrg(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-inert-'));
  fs.cpSync(path.join(REPO_ROOT, 'access'), path.join(root, 'access'), { recursive: true });
  git(root, ['init', '-q']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'example org']);
  return root;
}

const SANDBOX_FILE = 'access/groups/aws-sandbox-users.yaml';

describe('the PR body: accessctl request and expire --format markdown, collected by collect-change.sh', () => {
  const root = exampleOrg();
  const original = fs.readFileSync(path.join(root, SANDBOX_FILE), 'utf8');
  const request = async (reason: string): Promise<string> => {
    fs.writeFileSync(path.join(root, SANDBOX_FILE), original);
    const r = await run(['request', '--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '2026-12-07', `--reason=${reason}`, '--format', 'markdown'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  // request trims the reason, and refuses one with line breaks (it writes a member on one line) or
  // one starting with "---" (its YAML edit cannot write that): those are left to the other outputs.
  const oneLine = FILE_CASES.filter((c) => c.text === c.text.trim() && !/[\r\n]/.test(c.text) && !c.text.startsWith('---'));
  it.each(oneLine.map((c) => [c.what, c] as const))('request escapes %s in the reason', async (_what, c) => {
    const md = await request(c.text);
    expect(md).toContain(`\n- \`+\` judy.adams@example.com joins aws-sandbox-users until 2026-12-07 (${c.mid})\n`);
    expectInert(md);
  });

  it('expire escapes the subjects of withdrawn waivers', async () => {
    const dir = exampleOrg();
    const trimmed = FILE_CASES.filter((c) => c.text === c.text.trim());
    const policy = path.join(dir, 'access/policy.yaml');
    const added = trimmed.map((c) => `  - { rule: group-owner, subject: ${yq(c.text)}, reason: ended waiver reason, expires: 2026-01-31 }\n`).join('');
    fs.writeFileSync(policy, fs.readFileSync(policy, 'utf8').replace('\nwaivers:\n', `\nwaivers:\n${added}`));
    git(dir, ['commit', '-qam', 'expired waivers']);
    const r = await run(['expire', '--write', '--format', 'markdown'], dir, NOW);
    expect(r.code).toBe(0);
    for (const c of trimmed) expect(r.stdout).toContain(`\n- \`-\` waiver group-owner\\|${c.mid} is withdrawn\n`);
    expectInert(r.stdout);
  });

  it('collect-change.sh puts the escaped markdown into the PR body and adds only its own "Closes #N"', async () => {
    const reason = CASES.slice(0, 9).map((c) => c.text).join(' / ');
    const md = await request(reason);
    fs.mkdirSync(path.join(root, 'change'), { recursive: true });
    fs.writeFileSync(path.join(root, 'change/diff.md'), md);
    const script = path.join(REPO_ROOT, '.github/scripts/collect-change.sh');
    execFileSync('bash', [script, 'access-request/issue-7', 'Access request #7 from @requester', '7'], { cwd: root, encoding: 'utf8' });
    const pr = JSON.parse(fs.readFileSync(path.join(root, 'change/pr.json'), 'utf8')) as { title: string; body: string; files: string[]; issue: number };
    expect([pr.files, pr.issue]).toEqual([['access/groups/aws-sandbox-users.yaml'], 7]);
    expect(pr.body).toBe(`${md.replace(/\n+$/, '')}\n\nCloses #7`);
    expect(pr.body).toContain(`(${CASES.slice(0, 9).map((c) => c.mid).join(' / ')})`);
    expectInert(pr.body, ['#7']);
    // The one reference in the body is the script's own: a number, checked.
    expect(() => execFileSync('bash', [script, 'b', 't', '7 fixes #1'], { cwd: root, stdio: 'pipe' })).toThrow(/not an issue number: 7 fixes #1/);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
