import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, fileStart, type Diagnostic } from '../diagnostics';

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
 * Why an entry named `name` is not read, or undefined when it is a YAML file
 * accessctl reads. The one rule for files on disk and files read from git.
 * `dirShown` is the access directory as diagnostics show it.
 */
export function unreadFile(name: string, file: string, dirShown: string): Diagnostic | undefined {
  if (isYamlName(name)) return undefined;
  const at = { file, line: 1, column: 1 };
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const stem = dot > 0 ? name.slice(0, dot) : name;
  if (ext === 'yaml' || ext === 'yml') {
    return diag('ACC008', at, `"${file}" is not read: only names ending in lower-case .yaml or .yml are`, `rename it to ${stem}.${ext}`);
  }
  if (ext === 'md') return diag('ACC009', at, `"${file}" is not read (Markdown)`, `notes are fine here; move the file out of ${dirShown}/ to silence this`);
  if (ext === 'json') {
    return diag('ACC008', at, `"${file}" is not read: accessctl reads only YAML`, `convert it to ${stem}.yaml or move it out of ${dirShown}/`);
  }
  return diag(
    'ACC008',
    at,
    `"${file}" is not read: only .yaml and .yml files are`,
    `rename it to ${stem}.yaml if it holds YAML, or move it out of ${dirShown}/`,
  );
}

/** Characters GitHub reads as a pattern in a CODEOWNERS line, with no reliable escape (ACC097). */
const GLOB_CHARS = '*?[]!{}';

const globCharsIn = (s: string): string[] => [...s].filter((c) => GLOB_CHARS.includes(c));

/**
 * ACC097 at `file` when `rel` (its path from the access directory, or from the
 * repository root for CODEOWNERS) holds a character that would turn its
 * CODEOWNERS line into a pattern matching other files, else undefined.
 * `effect` says what becomes of the file: "is not read", say.
 */
export function globInPath(rel: string, file: string, effect: string): Diagnostic | undefined {
  const found = [...new Set(globCharsIn(rel))];
  if (found.length === 0) return undefined;
  const segments = rel.split('/');
  const named = segments.findIndex((s) => globCharsIn(s).length > 0);
  const rename = named === segments.length - 1 ? 'rename the file' : `rename the folder "${segments[named]}"`;
  return diag(
    'ACC097',
    fileStart(file),
    `"${file}" ${effect}: ${found.map((c) => `"${c}"`).join(', ')} in its path would make its CODEOWNERS line a pattern that matches other files`,
    `${rename} using only letters, digits, -, _ and .`,
  );
}

/** Whether `target` is `root` or lies below it (both absolute, real paths). */
function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Reads every YAML file below `dir` in a stable order, and reports every entry
 * it does not read: hidden entries are skipped; a path with a glob character
 * is ACC097; other names are ACC008 (ACC009 for Markdown); symbolic links are
 * followed only when their target lies inside `dir` (ACC017 otherwise), and a
 * link back to a folder being walked is ACC018. Problems become diagnostics,
 * never throws.
 */
export function readAccessDir(dir: string, cwd: string): { sources: SourceFile[]; diagnostics: Diagnostic[] } {
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const root = path.resolve(cwd, dir);
  const rootShown = displayPath(cwd, root);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    diagnostics.push(
      diag('ACC005', { file: rootShown, line: 1, column: 1 }, `access directory "${rootShown}" not found`, 'run from the repository root or pass --dir'),
    );
    return { sources, diagnostics };
  }
  const rootReal = fs.realpathSync(root);
  const cannotRead = (file: string, message: string): void => {
    diagnostics.push(diag('ACC007', { file, line: 1, column: 1 }, message));
  };
  /** `ancestors`: the real paths of the folders being walked (the last is `absDir`'s), for loop detection. */
  const walk = (absDir: string, relDir: string, ancestors: readonly string[]): void => {
    const realDir = ancestors[ancestors.length - 1];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      cannotRead(displayPath(cwd, absDir), `cannot read folder: ${(e as Error).message}`);
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const file = displayPath(cwd, abs);
      let real = path.join(realDir, entry.name);
      let target: fs.Stats;
      try {
        if (entry.isSymbolicLink()) real = fs.realpathSync(abs);
        target = fs.statSync(real);
      } catch (e) {
        cannotRead(file, `cannot read "${file}": ${(e as Error).message}`);
        continue;
      }
      if (!isInside(rootReal, real)) {
        diagnostics.push(diag(
          'ACC017',
          { file, line: 1, column: 1 },
          `"${file}" is a symbolic link to ${real}, outside ${rootShown}/`,
          `put the files themselves under ${rootShown}/, or link to a folder inside it`,
        ));
        continue;
      }
      if (target.isDirectory()) {
        if (ancestors.includes(real)) {
          diagnostics.push(diag(
            'ACC018',
            { file, line: 1, column: 1 },
            `"${file}" is a symbolic link to a folder that holds it (${displayPath(cwd, real)})`,
            'remove the link',
          ));
          continue;
        }
        walk(abs, rel, [...ancestors, real]);
        continue;
      }
      if (!target.isFile()) {
        cannotRead(file, `"${file}" is not a regular file`);
        continue;
      }
      const unread = globInPath(rel, file, 'is not read') ?? unreadFile(entry.name, file, rootShown);
      if (unread) {
        diagnostics.push(unread);
        continue;
      }
      if (target.size > MAX_FILE_BYTES) {
        diagnostics.push(diag(
          'ACC002',
          { file, line: 1, column: 1 },
          `file is ${target.size} bytes; the limit is ${MAX_FILE_BYTES}`,
          'split it into several files',
        ));
        continue;
      }
      try {
        sources.push({ file, rel, bytes: fs.readFileSync(real) });
      } catch (e) {
        cannotRead(file, `cannot read file: ${(e as Error).message}`);
      }
    }
  };
  walk(root, '', [rootReal]);
  return { sources, diagnostics };
}
