// A git repository of the example org with commits at fixed dates, and
// recorded GitHub answers, for the tests of accessctl retrospective --applied
// and of retrospective.sh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRecording, type Recording } from './github-replay';
import { exampleOrg } from './helpers';
import { git as gitIn, initRepo } from './git';

export const NOW = '2026-11-23T12:00:00Z';
export const REPO = 'northwind/access';
export const LISTING = `GET /repos/${REPO}/issues?per_page=100&state=all&labels=retrospective`;
export const PAYMENTS = 'groups/aws-payments-admins.yaml';
export const PLATFORM = 'groups/aws-platform-admins.yaml';
export const IVAN = 'ivan.petrov@example.com';
export const ERIN = 'erin.kowalski@example.com';

export interface Repo {
  readonly root: string;
  /** Commits with these dates (author and committer) and message after `edit`; returns the commit id. */
  commit(message: string, date: string, edit: (access: string) => void): string;
}

export function repo(): Repo {
  const root = exampleOrg();
  const git = (args: string[], date = '2026-09-01T09:00:00Z'): string => gitIn(root, args, { date }).trim();
  initRepo(root, 'example org', { date: '2026-09-01T09:00:00Z' });
  return {
    root,
    commit(message, date, edit) {
      edit(path.join(root, 'access'));
      git(['add', '-A']);
      git(['commit', '-q', '-m', message], date);
      return git(['rev-parse', 'HEAD']);
    },
  };
}

/** A break-glass entry appended to a group's members (after the line `after`). */
export function grant(group: string, after: string, user: string, expires: string, reason = 'INC-6001 payments outage') {
  return (access: string): void => {
    const file = path.join(access, group);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(after)) throw new Error(`${group} has no line ${after}`);
    fs.writeFileSync(file, text.replace(after, `${after}  - user: ${user}\n    expires: ${expires}\n    reason: ${reason}\n    breakGlass: true\n`));
  };
}
export const grantIvan = (expires: string) => grant(PAYMENTS, '    reason: INC-4711 on-call cover\n', IVAN, expires);
export const grantErin = (expires: string) => grant(PLATFORM, '    reason: Platform on-call rotation, winter 2026/27\n', ERIN, expires, 'INC-6002 platform outage');
/** A change that grants nothing: another group's description. */
export const unrelated = (words: string) => (access: string): void => {
  const file = path.join(access, 'groups', 'aws-sandbox-users.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^description: .*$/m, `description: ${words}`));
};

export function writeRecord(root: string, okta: string): string {
  fs.writeFileSync(path.join(root, 'applied.json'), JSON.stringify({ version: 1, stacks: { okta: { commit: okta, digest: `sha256:${'1'.repeat(64)}`, appliedAt: '2026-11-23T11:20:00Z' } } }));
  return 'applied.json';
}

export const marker = (group: string, user: string, commit: string): string => `<!-- accessctl-retrospective: ${group} ${user} ${commit} -->`;

/** An issue as GitHub lists it. */
export function issue(number: number, author: { login: string; type: string }, title: string, body: string, createdAt: string, extra: Record<string, unknown> = {}) {
  return {
    url: `https://api.github.com/repos/${REPO}/issues/${number}`,
    html_url: `https://github.com/${REPO}/issues/${number}`,
    id: 3000000000 + number,
    number,
    title,
    user: { login: author.login, id: author.type === 'Bot' ? 41898282 : 5550000 + number, type: author.type, site_admin: false },
    labels: [{ id: 7712004400, name: 'break-glass' }, { id: 7712004401, name: 'retrospective' }],
    state: 'closed',
    locked: false,
    assignees: [],
    comments: 0,
    created_at: createdAt,
    updated_at: createdAt,
    closed_at: createdAt,
    author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
    body,
    ...extra,
  };
}
export const BOT = { login: 'github-actions[bot]', type: 'Bot' };

/** break-glass.json (PR 43, its review by bmartin, merged by anguyen; the security team) with the listing and each commit's pull requests. */
export function recording(issues: unknown[], pulls: Record<string, number[]>): Recording {
  const base = loadRecording('break-glass').recording;
  const out: Record<string, Recording[string]> = { ...base, [LISTING]: { status: 200, body: issues } };
  for (const [sha, numbers] of Object.entries(pulls)) out[`GET /repos/${REPO}/commits/${sha}/pulls?per_page=100`] = { status: 200, body: numbers.map((n) => ({ number: n, state: 'closed', merged_at: '2026-11-23T10:00:00Z' })) };
  return out;
}
