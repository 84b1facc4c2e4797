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
