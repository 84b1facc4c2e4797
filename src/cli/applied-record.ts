import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMPTY_RECORD, parseAppliedRecord, type AppliedRecord } from '../synth/applied';
import type { Io } from './io';

/** Reads an apply record; a missing file is the empty record, anything else unreadable is an error on stderr. */
export function readAppliedRecord(file: string, io: Io): AppliedRecord | undefined {
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_RECORD;
    io.stderr(`${file}: the apply record cannot be read: ${(e as Error).message}\n`);
    return undefined;
  }
  const r = parseAppliedRecord(text);
  if ('error' in r) {
    io.stderr(`${file}: not a valid apply record: ${r.error}\n`);
    return undefined;
  }
  return r.record;
}
