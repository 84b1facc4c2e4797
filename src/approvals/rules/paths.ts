import { cmp } from '../../diagnostics';
import { defineApprovalRule, type OptionProblem, type Requirement } from '../rule';
import { resolveApprovers, securityTeamRequirement } from '../approvers';
import { isAccessFile, isProtectedPath, pathGlob, pathGlobProblem, reservedOverlap } from '../path-globs';

const OPTIONS = {
  type: 'object',
  properties: {},
  additionalProperties: {
    type: 'object',
    title: 'a path glob (repository-relative; "*" within a segment, "**" any number of segments) and its value `approvers` and `count`',
    description: 'people (Okta logins of people.yaml) or teams (@org/slug), and how many of them must approve a change to the paths the glob matches ' +
        'instead of the security team',
    additionalProperties: false,
    required: ['approvers'],
    properties: {
      approvers: {
        type: 'array',
        title: 'approvers',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', title: 'approver', minLength: 1, maxLength: 256 },
      },
      count: { type: 'integer', title: 'distinct approvals', description: 'how many of the approvers must approve (default 1)', minimum: 1, maximum: 5 },
    },
  },
} as const;

interface PathEntry {
  readonly approvers: readonly string[];
  readonly count?: number;
}

type PathOptions = Readonly<Record<string, PathEntry>>;

/** A path as words show it: a control character (a line break in a file name) written as \xNN, so it cannot start a line of its own. */
const shownPath = (p: string): string => p.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** "a", "a and b", "a and 4 more". */
function someOf(paths: readonly string[]): string {
  if (paths.length === 1) return shownPath(paths[0]);
  if (paths.length === 2) return `${shownPath(paths[0])} and ${shownPath(paths[1])}`;
  return `${shownPath(paths[0])} and ${paths.length - 1} more`;
}

const entries = (options: PathOptions): Array<[string, PathEntry]> => Object.entries(options).filter(
  ([, v]) => typeof v === 'object' && v !== null && Array.isArray(v.approvers),
);

export default defineApprovalRule<PathOptions>({
  id: 'paths',
  title: 'the security team approves every changed path outside the access files',
  onByDefault: true,
  rationale:
    'A pull request that changes the code, a workflow (the approvals workflow itself among them), CODEOWNERS or a lock file changes what accessctl does ' +
        'and who may approve, so it needs the security team like any change to the rules. Every path a pull request changes that is not an access file ' +
        'the other rules judge needs the security team, unless policy.yaml approvals.paths gives it other approvers: `docs/**: { approvers: ' +
        '[alice@example.com], count: 1 }`. A path several globs match needs each of them. No glob lowers the bar for .github/ and every other top-level ' +
        'path starting with a dot, src/, stacks/, engine/, schemas/, scripts/, bin/, main.ts, cdktf.json, jest.config.js, tsconfig*.json, nor for ' +
        'CODEOWNERS, package manifests and lock files (package.json, package-lock.json, .terraform.lock.hcl, and the like) wherever they are: a glob ' +
        'that reaches them is refused (ACC133), and they need the security team whatever matches them. The paths come from git (the base and head ' +
        'commits of the pull request).',
  remediation: 'Ask a member of the security team (or, for paths policy.yaml gives to others, one of their approvers) to approve at the latest commit; or ' +
      'move the changes outside the access files into a pull request of their own.',
  options: OPTIONS,
  defaults: {},
  references: (options) => entries(options).flatMap(
    ([glob, e]) => e.approvers.map((a, i) => ({ kind: 'approver' as const, value: a, path: [glob, 'approvers', i] })),
  ),
  problems(options) {
    const out: OptionProblem[] = [];
    for (const [glob, e] of entries(options)) {
      const bad = pathGlobProblem(glob);
      if (bad !== undefined) {
        out.push({ code: 'ACC134', path: [glob], at: 'key', message: `approvals.paths: "${glob}" ${bad}`, hint: 'write a repository-relative path glob ' +
            'with "*" and "**" only, such as docs/**' });
        continue;
      }
      const { areas, protectedName } = reservedOverlap(glob);
      if (areas.length > 0 || protectedName) {
        const shown = [...new Set(areas.map((a) => (a.startsWith('.*') ? 'top-level names starting with a dot (.github/, .ci/, .npmrc)' : a)))];
        const what = protectedName ? `names ${glob.slice(glob.lastIndexOf('/') + 1)}` : `can match ` +
            `${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ` and ${shown.length - 3} more` : ''}`;
        out.push({
          code: 'ACC133',
          path: [glob],
          at: 'key',
          message: `approvals.paths: "${glob}" ${what}, which only the security team may approve`,
          hint: 'narrow the glob to the paths it is meant for, or remove the entry',
        });
      }
      const count = e.count ?? 1;
      if (!e.approvers.some((a) => a.startsWith('@')) && count > e.approvers.length) {
        out.push({ code: 'ACC135', path: [glob, 'count'], message: `approvals.paths: "${glob}" asks for ${count} approvals from ${e.approvers.length} ` +
            `${e.approvers.length === 1 ? 'person' : 'people'}: it could never be met`, hint: 'lower count, or name more approvers or a team' });
      }
    }
    return out;
  },
  requirements(facts, options) {
    if (facts.changedPaths === undefined) return [];
    const accessDir = facts.accessDir ?? '';
    const others = facts.changedPaths.filter((p) => isProtectedPath(p) || !isAccessFile(p, accessDir));
    if (others.length === 0) return [];
    const globs = entries(options).filter(([g]) => pathGlobProblem(g) === undefined).map(([g, e]) => ({ glob: g, entry: e, matches: pathGlob(g) }));
    const security: string[] = [];
    const byGlob = new Map<string, string[]>();
    for (const p of others) {
      const matched = isProtectedPath(p) ? [] : globs.filter((g) => g.matches(p));
      if (matched.length === 0) security.push(p);
      for (const g of matched) byGlob.set(g.glob, [...(byGlob.get(g.glob) ?? []), p]);
    }
    const out: Requirement[] = [];
    if (security.length > 0) {
      // The paths only the security team may approve first, then the rest, each sorted.
      const shown = [...security.filter(isProtectedPath), ...security.filter((p) => !isProtectedPath(p))];
      const where = accessDir !== '' && shown.every((p) => !p.startsWith(`${accessDir}/`)) ? `outside ${accessDir}/` : 'besides the access files';
      const team = securityTeamRequirement(facts.base);
      out.push(
        { rule: 'paths', subject: 'paths', who: team.who, why: `the change edits ${someOf(shown)} ${where}`, users: team.users, teams: team.teams, count: 1 },
      );
    }
    for (const g of globs.filter((x) => byGlob.has(x.glob)).sort((a, b) => cmp(a.glob, b.glob))) {
      const paths = byGlob.get(g.glob)!;
      const { users, teams } = resolveApprovers(g.entry.approvers, facts.base);
      const count = g.entry.count ?? 1;
      const names = [...users.map((u) => `@${u}`), ...teams].join(', ');
      const who = `${count === 1 ? 'an approver' : `${count} approvers`} of ${g.glob} (${names})`;
      out.push({
        rule: 'paths',
        subject: g.glob,
        who,
        why: `the change edits ${someOf(paths)}, which policy.yaml approvals.paths gives to them`,
        users,
        teams,
        count,
      });
    }
    return out;
  },
});
