// Reading the exports accessctl import starts from: JSON as the Okta
// Management API and the AWS CLI v2 return it, laid out as docs/import.md
// shows. Every field used is checked, and a missing or mistyped one is an
// error naming the file and the JSON path, never a guess.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class ExportError extends Error {
  /** ACC092 (cannot be read) unless the exports are readable but hold what import refuses to guess about. */
  constructor(readonly file: string, message: string, readonly code: 'ACC092' | 'ACC094' | 'ACC095' | 'ACC096' = 'ACC092', readonly hint?: string) {
    super(message);
  }
}

type Json = unknown;

/** One export file: its parsed JSON and typed accessors that throw ExportError. */
export class ExportFile {
  constructor(readonly file: string, readonly data: Json) {}

  static read(root: string, rel: string, shown: string): ExportFile {
    const file = path.join(root, ...rel.split('/'));
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ExportError(shown, missing ? 'missing: produce it as docs/import.md shows' : `cannot read: ${(e as Error).message}`);
    }
    // What a failed `aws ... > file` or `curl ... > file` leaves behind.
    if (text.trim() === '') {
      throw new ExportError(shown, 'empty: the call that writes it failed; '
        + 'run it again (docs/import.md writes each export to a .tmp file and moves it only on success)');
    }
    try {
      return new ExportFile(shown, JSON.parse(text) as Json);
    } catch (e) {
      throw new ExportError(shown, `not JSON: ${(e as Error).message}`);
    }
  }

  static exists(root: string, rel: string): boolean {
    return fs.existsSync(path.join(root, ...rel.split('/')));
  }

  static readOptional(root: string, rel: string, shown: string): ExportFile | undefined {
    return ExportFile.exists(root, rel) ? ExportFile.read(root, rel, shown) : undefined;
  }

  fail(where: string, message: string): never {
    throw new ExportError(this.file, `${where || '(top)'}: ${message}`);
  }

  /** The value at a JSON path (keys and indexes), or undefined. */
  at(value: Json, key: string | number): Json {
    return value !== null && typeof value === 'object' ? (value as Record<string | number, Json>)[key] : undefined;
  }

  array(value: Json, where: string): Json[] {
    if (!Array.isArray(value)) this.fail(where, `expected a list, found ${describe(value)}`);
    return value;
  }

  object(value: Json, where: string): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(where, `expected an object, found ${describe(value)}`);
    return value as Record<string, Json>;
  }

  string(value: Json, where: string): string {
    if (typeof value !== 'string' || value === '') {
      this.fail(where, value === undefined ? 'missing (a string)' : `expected a non-empty string, found ${describe(value)}`);
    }
    return value;
  }

  optionalString(value: Json, where: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(where, `expected a string, found ${describe(value)}`);
    return value === '' ? undefined : value;
  }

  /** data[key] as a list, for AWS CLI outputs ({"PermissionSets": [...]}). */
  list(key: string): Json[] {
    return this.array(this.at(this.object(this.data, ''), key), key);
  }
}

function describe(v: Json): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Every .json file below a directory, relative to `root`, sorted; [] when the directory is absent. */
export function jsonFilesUnder(root: string, rel: string): string[] {
  const out: string[] = [];
  const walk = (r: string): void => {
    const abs = path.join(root, ...r.split('/'));
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${r}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith('.json')) out.push(child);
    }
  };
  walk(rel);
  return out;
}
