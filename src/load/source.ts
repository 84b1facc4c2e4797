import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics';

/** One file of an access directory, as bytes, before anything is parsed. */
export interface SourceFile {
  /** The path shown in diagnostics: relative to the working directory, "/" separators. */
  readonly file: string;
  /** The path relative to the access directory, "/" separators; decides the file's kind. */
  readonly rel: string;
  readonly bytes: Uint8Array;
  /** A name for these exact bytes (a git blob id), when the caller has one: keys the parse cache. */
  readonly id?: string;
}

/** Files above this size are refused before parsing (ACC002). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function isYamlName(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

/** Display form of a path: relative to cwd when inside it, always with "/". */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  const shown = rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
  return shown.split(path.sep).join('/');
}

/**
 * Reads every YAML file below `dir` (hidden entries skipped, symbolic links
 * not followed), in a stable order. Problems become diagnostics, never throws.
 */
export function readAccessDir(dir: string, cwd: string): { sources: SourceFile[]; diagnostics: Diagnostic[] } {
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const root = path.resolve(cwd, dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    const shown = displayPath(cwd, root);
    diagnostics.push(diag('ACC005', { file: shown, line: 1, column: 1 }, `access directory "${shown}" not found`, 'run from the repository root or pass --dir'));
    return { sources, diagnostics };
  }
  const walk = (absDir: string, relDir: string): void => {
    const entries = fs.readdirSync(absDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const file = displayPath(cwd, abs);
      if (entry.isDirectory()) {
        walk(abs, rel);
        continue;
      }
      if (!isYamlName(entry.name)) continue;
      if (!entry.isFile()) {
        diagnostics.push(diag('ACC007', { file, line: 1, column: 1 }, `"${file}" is not a regular file (symbolic links are not followed)`));
        continue;
      }
      try {
        const size = fs.statSync(abs).size;
        if (size > MAX_FILE_BYTES) {
          diagnostics.push(diag('ACC002', { file, line: 1, column: 1 }, `file is ${size} bytes; the limit is ${MAX_FILE_BYTES}`, 'split it into several files'));
          continue;
        }
        sources.push({ file, rel, bytes: fs.readFileSync(abs) });
      } catch (e) {
        diagnostics.push(diag('ACC007', { file, line: 1, column: 1 }, `cannot read file: ${(e as Error).message}`));
      }
    }
  };
  walk(root, '');
  return { sources, diagnostics };
}
