import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMPTY_RECORD, parseAppliedRecord, type AppliedRecord } from '../synth/applied';
import type { Io } from './io';

/**
 * Reads an apply record; a missing file is the empty record (nothing applied
 * yet), unless `missingIsError` (a command for which a missing record is a
 * mistake). Anything unreadable is an error on stderr, after `prefix`.
 */
export function readAppliedRecord(file: string, io: Io, opts: { missingIsError?: boolean; prefix?: string } = {}): AppliedRecord | undefined {
  const full = path.resolve(io.cwd, file);
  const prefix = opts.prefix ?? '';
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !opts.missingIsError) return EMPTY_RECORD;
    io.stderr(`${prefix}${file}: the apply record cannot be read: ${(e as Error).message}\n`);
    return undefined;
  }
  const r = parseAppliedRecord(text);
  if ('error' in r) {
    io.stderr(`${prefix}${file}: not a valid apply record: ${r.error}\n`);
    return undefined;
  }
  return r.record;
}
