import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { SourceFile } from '../load/source';
import { displayPath, isYamlName } from '../load/source';

/** Thrown when git is missing, the directory is not a repository, or a ref does not resolve. */
export class GitError extends Error {}

/** Runs git in one working directory; the only place accessctl spawns a process. */
export class Git {
  constructor(private readonly cwd: string) {}

  /** Runs `git args…`; stdout as a Buffer, or a GitError with git's own message. */
  run(args: readonly string[], input?: string): Buffer {
    const r = spawnSync('git', args, { cwd: this.cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    if (r.error) throw new GitError(`cannot run git: ${r.error.message}`);
    if (r.status !== 0) throw new GitError(r.stderr.toString('utf8').trim() || `git ${args[0]} failed with status ${r.status}`);
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

  /**
   * The default base for a change: the merge base of HEAD with the default
   * branch; on the default branch itself, HEAD when `dir` has uncommitted
   * edits, else HEAD's first parent (the state before the latest merge).
   * Undefined when there is none.
   */
  defaultBase(dir?: string): { ref: string; commit: string } | undefined {
    let head: string;
    try {
      head = this.resolve('HEAD');
    } catch {
      return undefined;
    }
    for (const candidate of this.defaultBranchCandidates()) {
      let mergeBase: string;
      try {
        this.resolve(candidate);
        mergeBase = this.text(['merge-base', 'HEAD', candidate]);
      } catch {
        continue;
      }
      if (mergeBase !== head) return { ref: `merge-base(HEAD, ${candidate})`, commit: mergeBase };
      // On the default branch: uncommitted edits compare with HEAD, a clean tree with the state before HEAD.
      if (dir !== undefined && this.isDirty(dir)) return { ref: 'HEAD', commit: head };
      try {
        return { ref: 'HEAD^1', commit: this.resolve('HEAD^1') };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** True when `dir` has uncommitted or untracked changes. */
  isDirty(dir: string): boolean {
    return this.text(['status', '--porcelain', '--untracked-files=all', '--', this.repoPath(dir) || '.']) !== '';
  }

  private defaultBranchCandidates(): string[] {
    const out: string[] = [];
    try {
      out.push(this.text(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']));
    } catch {
      // no remote HEAD recorded
    }
    out.push('origin/main', 'origin/master', 'main', 'master');
    return [...new Set(out)];
  }

  /** The repository-relative path of `dir` (relative to this working directory), with "/" and no trailing "/". */
  repoPath(dir: string): string {
    const top = this.text(['rev-parse', '--show-toplevel']);
    return path.relative(top, path.resolve(this.cwd, dir)).split(path.sep).join('/');
  }

  /**
   * Every YAML file under `dir` at `commit`, as loader input: one ls-tree and
   * one cat-file --batch, however many files there are.
   */
  readDirAt(commit: string, dir: string): SourceFile[] {
    const root = this.repoPath(dir);
    const listing = this.run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', root]).toString('utf8');
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [, type, sha] = line.slice(0, tab).split(' ');
        return { type, sha, file: line.slice(tab + 1) };
      })
      .filter((e) => e.type === 'blob' && isYamlName(e.file) && !e.file.slice(root.length + 1).split('/').some((s) => s.startsWith('.')))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (entries.length === 0) return [];
    const blobs = this.catBlobs(entries.map((e) => e.sha));
    const shown = this.shown(dir);
    return entries.map((e, i) => {
      const rel = e.file.slice(root.length + 1);
      return { file: `${shown}/${rel}`, rel, bytes: blobs[i] };
    });
  }

  /** How diagnostics show `dir`: the same display path the loader uses for files on disk. */
  private shown(dir: string): string {
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
