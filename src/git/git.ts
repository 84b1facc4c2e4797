import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../load/source';
import { displayPath, isYamlName } from '../load/source';

/** Thrown when git is missing, the directory is not a repository, or a ref does not resolve. */
export class GitError extends Error {
  /** The message is git's own (its stderr); `command` is "git <subcommand>" and `status` its exit status, when git ran. */
  constructor(message: string, readonly command?: string, readonly status?: number) {
    super(message);
  }
}

/** The deepest directory at or above `abs` that exists (git cannot run in a directory that is not there). */
function existingDir(abs: string): string {
  for (let d = abs; ; d = path.dirname(d)) {
    try {
      if (fs.statSync(d).isDirectory()) return d;
    } catch {
      // not there: try its parent
    }
    if (path.dirname(d) === d) return d;
  }
}

/** The top level of the repository that holds `dir` (as git prints it: symbolic links resolved), or undefined. */
function topLevelOf(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return r.status === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

/**
 * Runs git in one repository; the only place accessctl spawns a process.
 * Relative paths given to its methods are read from `cwd` and shown from
 * there; git itself runs in `runDir` (by default `cwd`).
 */
export class Git {
  private readonly runDir: string;
  private top: string | undefined;

  constructor(private readonly cwd: string, runDir?: string) {
    this.runDir = runDir === undefined ? cwd : path.resolve(cwd, runDir);
  }

  /**
   * Git for the repository that holds `dir` (relative to `cwd`), which need not
   * be the repository of the working directory. It runs in `cwd` when that is
   * in the same repository (so paths relative to `cwd` keep their meaning),
   * else at the top level of `dir`'s repository.
   */
  static forDir(cwd: string, dir: string): Git {
    const near = existingDir(path.resolve(cwd, dir));
    const top = topLevelOf(near);
    if (top === undefined) return new Git(cwd, near);
    return new Git(cwd, topLevelOf(cwd) === top ? cwd : top);
  }

  /** Runs `git args…`; stdout as a Buffer, or a GitError with git's own message. */
  run(args: readonly string[], input?: string): Buffer {
    const r = spawnSync('git', args, { cwd: this.runDir, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    if (r.error) throw new GitError(`cannot run git: ${r.error.message}`);
    if (r.status !== 0) throw new GitError(
      r.stderr.toString('utf8').trim() || `git ${args[0]} failed with status ${r.status}`,
      `git ${args[0]}`,
      r.status ?? undefined,
    );
    return r.stdout;
  }

  text(args: readonly string[]): string {
    return this.run(args).toString('utf8').trim();
  }

  isRepository(): boolean {
    try {
      return this.text(['rev-parse', '--is-inside-work-tree']) === 'true';
    } catch {
      return false;
    }
  }

  /** The full commit id of a ref, or a GitError naming the ref. */
  resolve(ref: string): string {
    try {
      return this.text(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    } catch {
      throw new GitError(`"${ref}" is not a commit in this repository`);
    }
  }

  /** True when `dir` has uncommitted or untracked changes. */
  isDirty(dir: string): boolean {
    return this.text(['status', '--porcelain', '--untracked-files=all', '--', this.topPathspec(dir)]) !== '';
  }

  /** The top level of the repository, as git prints it (symbolic links resolved). */
  topLevel(): string {
    this.top ??= this.text(['rev-parse', '--show-toplevel']);
    return this.top;
  }

  /**
   * The repository-relative path of `dir` (relative to the working directory),
   * with "/" and no trailing "/"; "" for the top level. A GitError when `dir`
   * is outside the repository.
   */
  repoPath(dir: string): string {
    const abs = path.resolve(this.cwd, dir);
    const near = existingDir(abs);
    // git resolves symbolic links in the top level; so must the path compared with it.
    const rel = path.relative(this.topLevel(), path.join(fs.realpathSync(near), path.relative(near, abs)));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new GitError(`${this.shown(dir)} is outside the repository at ${this.topLevel()}`);
    return rel.split(path.sep).join('/');
  }

  /** A pathspec for `dir` that means the same wherever git runs. */
  topPathspec(dir: string): string {
    return `:(top)${this.repoPath(dir) || '.'}`;
  }

  /** The top level of the repository as seen through `dir` (symbolic links kept, as `dir` is written). */
  rootOf(dir: string): string {
    const up = this.repoPath(dir).split('/').filter(Boolean).map(() => '..');
    return path.resolve(this.cwd, dir, ...up);
  }

  /**
   * Every YAML file under `dir` at `commit`, as loader input: one ls-tree and
   * one cat-file --batch, however many files there are (and one more ls-tree
   * a symbolic link followed). The same files readAccessDir reads on disk:
   * hidden entries skipped, only names ending in .yaml or .yml, a symbolic
   * link followed when its target lies inside `dir` and is not a folder that
   * holds it. What it leaves out is reported by validate on the working tree.
   */
  readDirAt(commit: string, dir: string): SourceFile[] {
    const root = this.repoPath(dir);
    const inside = (p: string): boolean => (root === '' ? !p.startsWith('../') && p !== '..' && !p.startsWith('/') : p === root || p.startsWith(`${root}/`));
    const found: { sha: string; rel: string }[] = [];
    const list = (tree: string, relBase: string, ancestors: readonly string[]): void => {
      const listing = this.run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', tree]).toString('utf8');
      for (const line of listing.split('\0').filter(Boolean)) {
        const tab = line.indexOf('\t');
        const [mode, type, sha] = line.slice(0, tab).split(' ');
        const file = line.slice(tab + 1);
        const inner = tree === '' ? file : file.slice(tree.length + 1);
        if (inner.split('/').some((s) => s.startsWith('.'))) continue;
        const rel = relBase === '' ? inner : `${relBase}/${inner}`;
        if (mode !== '120000') {
          if (type === 'blob' && isYamlName(file)) found.push({ sha, rel });
          continue;
        }
        const target = this.catBlobs([sha])[0].toString('utf8');
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
        if (path.posix.isAbsolute(target) || !inside(resolved)) continue;
        const holders = [...ancestors];
        for (let d = path.posix.dirname(file); d !== '.' && d !== tree && d.length >= tree.length; d = path.posix.dirname(d)) holders.push(d);
        holders.push(tree);
        if (holders.includes(resolved)) continue;
        const [targetMode, kind, targetSha] = this.run(['ls-tree', '-z', '--full-tree', commit, '--', resolved]).toString('utf8').split('\t')[0].split(' ');
        if (kind === 'tree') list(resolved, rel, holders);
        else if (kind === 'blob' && targetMode !== '120000' && isYamlName(file)) found.push({ sha: targetSha, rel });
      }
    };
    list(root, '', []);
    found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    if (found.length === 0) return [];
    const blobs = this.catBlobs(found.map((e) => e.sha));
    const shown = this.shown(dir);
    return found.map((e, i) => ({ file: `${shown}/${e.rel}`, rel: e.rel, bytes: blobs[i] }));
  }

  /**
   * Every path that differs between commit `base` and commit `head`, or the
   * working tree (untracked files that are not ignored included) when `head`
   * is undefined: repository-relative, "/"-separated, sorted. A rename is its
   * two paths. The flags keep a user's git configuration (diff.relative,
   * diff.renames, diff.ignoreSubmodules) from hiding a path.
   */
  changedPaths(base: string, head?: string): string[] {
    const names = (args: readonly string[]): string[] => this.run(args).toString('utf8').split('\0').filter((p) => p !== '');
    const out = new Set(
      names(
        [
          'diff',
          '--name-only',
          '-z',
          '--no-renames',
          '--no-relative',
          '--no-ext-diff',
          '--ignore-submodules=none',
          base,
          ...(head !== undefined ? [head] : []),
          '--',
        ],
      ),
    );
    if (head === undefined) for (const p of names(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':(top)'])) out.add(p);
    return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** How diagnostics show `dir`: the same display path the loader uses for files on disk. */
  shown(dir: string): string {
    return displayPath(this.cwd, path.resolve(this.cwd, dir));
  }

  /** Blob contents in the order asked, through one `git cat-file --batch`. */
  catBlobs(shas: readonly string[]): Buffer[] {
    const out = this.run(['cat-file', '--batch'], `${shas.join('\n')}\n`);
    const blobs: Buffer[] = [];
    let pos = 0;
    for (const sha of shas) {
      const nl = out.indexOf(0x0a, pos);
      const header = out.subarray(pos, nl).toString('utf8');
      const size = Number(header.split(' ')[2]);
      if (!header.startsWith(sha) || !Number.isFinite(size)) throw new GitError(`unexpected cat-file output for ${sha}: ${header}`);
      blobs.push(out.subarray(nl + 1, nl + 1 + size));
      pos = nl + 1 + size + 1;
    }
    return blobs;
  }
}
