// Repository paths for the paths approval rule: which changed paths are the
// access files the other rules judge, which paths only the security team may
// approve whatever policy.yaml says, and path globs (the OU glob syntax: "*"
// within one segment, a segment "**" any number of segments) with the one
// question validation needs of them: can this glob match any path that
// pattern matches?
import { isYamlName } from '../load/source';
import { compileOuGlob } from '../model/selectors';

/**
 * Areas a policy.yaml approvals.paths entry may not reach into (ACC133): the
 * code, workflows and build files that decide what accessctl does and who may
 * approve. Lower case; a path is compared in lower case, so SRC/x.ts is src/x.ts
 * here too. Every top-level name that starts with a dot is one: .github/
 * (workflows, CODEOWNERS), .ci/, .npmrc, .gitmodules, .terraform.lock.hcl.
 */
export const RESERVED_PATHS: readonly string[] = [
  'src/**',
  'stacks/**',
  'engine/**',
  'schemas/**',
  'scripts/**',
  'bin/**',
  'main.ts',
  'cdktf.json',
  'jest.config.js',
  'tsconfig*.json',
  'codeowners',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  '.*/**',
  '.*',
];

/**
 * File names that need the security team wherever they are (CODEOWNERS is read
 * from the top, .github/ and docs/; a manifest or lock file anywhere may pull
 * in code). Lower case. A glob whose last segment is one of them is refused
 * (ACC133); a wider glob such as docs/** is allowed and simply does not reach them.
 */
export const PROTECTED_NAMES: ReadonlySet<string> = new Set([
  'codeowners',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  '.yarnrc',
  '.yarnrc.yml',
  '.npmrc',
  '.pnpmfile.cjs',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'bun.lock',
  'bun.lockb',
  '.terraform.lock.hcl',
  'go.mod',
  'go.sum',
  'requirements.txt',
  'pipfile',
  'pipfile.lock',
  'pyproject.toml',
  'poetry.lock',
  'gemfile',
  'gemfile.lock',
  'cargo.toml',
  'cargo.lock',
]);

const reservedMatchers = RESERVED_PATHS.map(compileOuGlob);

/** Whether a change to `path` (repository-relative) always needs the security team. */
export function isProtectedPath(path: string): boolean {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  return PROTECTED_NAMES.has(base) || reservedMatchers.some((m) => m(lower));
}

/**
 * Whether `path` (repository-relative) is one of the access files the other
 * rules judge: a YAML file under the access directory, no part of its path
 * below it hidden (as the loader reads them). Other files there (a README, a
 * hidden file) are left to the paths rule.
 */
export function isAccessFile(path: string, accessDir: string): boolean {
  let rest: string;
  if (accessDir === '') rest = path;
  else if (path.startsWith(`${accessDir}/`)) rest = path.slice(accessDir.length + 1);
  else return false;
  return rest !== '' && isYamlName(rest) && !rest.split('/').some((s) => s.startsWith('.'));
}

/** What is wrong with a path glob as a policy.yaml key, or undefined when it is well formed. */
export function pathGlobProblem(glob: string): string | undefined {
  if (glob.startsWith('/')) return 'starts with "/": paths are relative to the repository root (write docs/**, not /docs/**)';
  if (glob.endsWith('/')) return 'ends with "/": write docs/** for everything under docs/';
  const bad = /[?[\]{}!\\]/.exec(glob);
  if (bad) return `holds "${bad[0]}", which accessctl does not read as a wildcard (only "*" and "**" are)`;
  const segments = glob.split('/');
  if (segments.some((s) => s === '')) return 'has an empty segment ("//")';
  if (segments.some((s) => s === '.' || s === '..')) return 'has a "." or ".." segment';
  if (segments.some((s) => s.includes('**') && s !== '**')) return '"**" must be a whole segment (docs/**/x.md); within a segment write "*"';
  return undefined;
}

/** A compiled path glob: whether it matches a repository-relative path. */
export function pathGlob(glob: string): (path: string) => boolean {
  return compileOuGlob(glob);
}

/**
 * The reserved areas (RESERVED_PATHS, as written) that `glob` can match a path of, comparing in lower case;
 * and whether its last segment is a protected file name.
 */
export function reservedOverlap(glob: string): { areas: string[]; protectedName: boolean } {
  const lower = glob.toLowerCase();
  const nfa = globNfa(lower);
  const areas = RESERVED_PATHS.filter((r) => intersects(nfa, globNfa(r)));
  const last = lower.slice(lower.lastIndexOf('/') + 1);
  return { areas, protectedName: !last.includes('*') && PROTECTED_NAMES.has(last) };
}

// Globs as automata over characters: a path is read as "/" before every
// segment, a segment pattern is its literal characters with "*" as any run of
// characters other than "/", and "**" is any number of ("/" and a segment).
// Two globs can match a common path exactly when the product of their
// automata reaches both accepting states.

/** What one step reads: a given character, or any character but "/". */
type Step = { readonly ch: string } | { readonly notSlash: true };

interface Nfa {
  /** Per state: edges on nothing (undefined) or on a step. */
  readonly edges: Array<Array<{ readonly step?: Step; readonly to: number }>>;
  readonly start: number;
  readonly accept: number;
}

function globNfa(glob: string): Nfa {
  const edges: Nfa['edges'] = [];
  const state = (): number => edges.push([]) - 1;
  const start = state();
  let at = start;
  const step = (s: Step): void => {
    const next = state();
    edges[at].push({ step: s, to: next });
    at = next;
  };
  /** Any run of characters other than "/" (possibly none), from the current state back to it. */
  const loopNotSlash = (): void => {
    edges[at].push({ step: { notSlash: true }, to: at });
  };
  for (const seg of glob.split('/')) {
    if (seg === '**') {
      // ("/" [^/]+)*: a loop that leaves `at` on "/", reads one or more characters, and comes back.
      const loopStart = at;
      const slash = state();
      edges[loopStart].push({ step: { ch: '/' }, to: slash });
      const inner = state();
      edges[slash].push({ step: { notSlash: true }, to: inner });
      edges[inner].push({ step: { notSlash: true }, to: inner });
      edges[inner].push({ to: loopStart });
      continue;
    }
    step({ ch: '/' });
    for (const c of seg) {
      if (c === '*') loopNotSlash();
      else step({ ch: c });
    }
  }
  return { edges, start, accept: at };
}

function stepsMeet(a: Step, b: Step): boolean {
  if ('ch' in a && 'ch' in b) return a.ch === b.ch;
  if ('ch' in a) return a.ch !== '/';
  if ('ch' in b) return b.ch !== '/';
  return true;
}

/** Whether some path matches both automata. */
function intersects(a: Nfa, b: Nfa): boolean {
  const seen = new Set<string>();
  const queue: Array<[number, number]> = [[a.start, b.start]];
  const push = (x: number, y: number): void => {
    const k = `${x},${y}`;
    if (seen.has(k)) return;
    seen.add(k);
    queue.push([x, y]);
  };
  seen.add(`${a.start},${b.start}`);
  while (queue.length > 0) {
    const [x, y] = queue.pop()!;
    if (x === a.accept && y === b.accept) return true;
    for (const e of a.edges[x]) if (e.step === undefined) push(e.to, y);
    for (const e of b.edges[y]) if (e.step === undefined) push(x, e.to);
    for (const e of a.edges[x]) {
      if (e.step === undefined) continue;
      for (const f of b.edges[y]) if (f.step !== undefined && stepsMeet(e.step, f.step)) push(e.to, f.to);
    }
  }
  return false;
}
