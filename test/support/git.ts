// git for tests: one identity, fixed dates when asked, and never the machine's
// configuration (no /etc/gitconfig, no ~/.gitconfig, no GIT_DIR from a hook),
// so a test's repository is the same on every machine. Every test that makes
// or reads a temporary repository goes through here.
import { execFileSync } from 'node:child_process';

export interface GitOptions {
  /** Author and committer name (default "T"). */
  readonly author?: string;
  /** Author and committer email (default "t@example.com"). */
  readonly email?: string;
  /** Author and committer date (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE); git's clock when absent. */
  readonly date?: string;
}

export const DEFAULT_AUTHOR = 'T';
export const DEFAULT_EMAIL = 't@example.com';

/** The environment git runs in: the process's, without the machine's configuration, with the identity and dates of `options`. */
export function gitEnv(options: GitOptions = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT']) delete env[k];
  const name = options.author ?? DEFAULT_AUTHOR;
  const email = options.email ?? DEFAULT_EMAIL;
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  });
  if (options.date !== undefined) Object.assign(env, { GIT_AUTHOR_DATE: options.date, GIT_COMMITTER_DATE: options.date });
  return env;
}

/** Runs git in `cwd` (init.defaultBranch=main); its stdout as it is (callers trim). Throws with git's stderr when git fails. */
export function git(cwd: string, args: readonly string[], options: GitOptions = {}): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', stdio: 'pipe', env: gitEnv(options) });
}

/**
 * Makes `dir` a repository on main whose first commit holds everything in it;
 * returns that commit. The identity is also written to the repository's own
 * configuration, so git run by the code under test (accessctl request
 * --branch, the workflow scripts) commits as the same person.
 */
export function initRepo(dir: string, message = 'init', options: GitOptions = {}): string {
  git(dir, ['init', '-q', '-b', 'main'], options);
  git(dir, ['config', 'user.name', options.author ?? DEFAULT_AUTHOR], options);
  git(dir, ['config', 'user.email', options.email ?? DEFAULT_EMAIL], options);
  return commitAll(dir, message, options);
}

/** Stages everything in `dir` and commits it; returns the commit. */
export function commitAll(dir: string, message: string, options: GitOptions = {}): string {
  git(dir, ['add', '-A'], options);
  git(dir, ['commit', '-q', '-m', message], options);
  return git(dir, ['rev-parse', 'HEAD'], options).trim();
}
