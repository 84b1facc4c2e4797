import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a file by writing a temporary sibling and renaming it over the target. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes several files so that either all change or none do, as far as the
 * file system allows: every temporary sibling is written first, and only when
 * all of them are on disk are they renamed over their targets.
 */
export function writeFilesAtomic(files: ReadonlyArray<{ readonly file: string; readonly content: string | Uint8Array }>): void {
  const temps: Array<{ tmp: string; file: string }> = [];
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true });
      const tmp = path.join(path.dirname(f.file), `.${path.basename(f.file)}.${process.pid}.tmp`);
      temps.push({ tmp, file: f.file });
      fs.writeFileSync(tmp, f.content);
    }
  } catch (e) {
    for (const t of temps) fs.rmSync(t.tmp, { force: true });
    throw e;
  }
  for (const t of temps) fs.renameSync(t.tmp, t.file);
}

/**
 * Replaces directory `dir` with one that holds exactly `files` (paths relative to it, "/" separators), all or
 * nothing as far as the file system allows: the files are written into a temporary sibling, the old directory is
 * renamed aside, the new one renamed into its place, and only then is the old one removed. A failure while writing
 * leaves `dir` as it was; a failure of the second rename renames the old directory back. Returns the path of the old
 * directory when it could not be removed (the new one is in place all the same).
 */
export function replaceDirAtomic(dir: string, files: ReadonlyArray<{ readonly rel: string; readonly content: string | Uint8Array }>): string | undefined {
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const fresh = fs.mkdtempSync(path.join(parent, `.${path.basename(dir)}.new-`));
  try {
    for (const f of files) {
      const file = path.join(fresh, ...f.rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.content);
    }
  } catch (e) {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  try {
    if (fs.existsSync(dir)) {
      old = `${fresh.replace(/\.new-([^/\\]*)$/, '.old-$1')}`;
      fs.renameSync(dir, old);
    }
    fs.renameSync(fresh, dir);
  } catch (e) {
    if (old !== undefined && !fs.existsSync(dir)) fs.renameSync(old, dir);
    fs.rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  if (old === undefined) return undefined;
  try {
    fs.rmSync(old, { recursive: true, force: true });
    return undefined;
  } catch {
    return old;
  }
}
