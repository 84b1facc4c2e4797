// The files `accessctl usage --cloudtrail PATH…` reads, and their records,
// streamed: gzip through zlib, JSON through RecordSplitter, CSV through
// CsvSplitter. A directory is walked recursively (CloudTrail's S3 layout:
// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/), digest files skipped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Rec } from './cloudtrail';
import { canonical, CsvSplitter, recordOfElement, RowError } from './query-rows';
import { JsonStreamError, RecordSplitter } from './stream-json';

const READABLE = /\.(json|csv)(\.gz)?$/i;

/** Bad input: the file and the record number are in the message. */
export class SourceError extends Error {
  constructor(readonly file: string, readonly record: number, what: string) {
    super(`${file}: record ${record}: ${what}`);
  }
}

/** The files under the paths, in a stable order; undefined entries name a path that does not exist. */
export function listSources(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return void missing.push(p);
    if (!st.isDirectory()) return void files.push(p);
    for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory() && e.name === 'CloudTrail-Digest') continue;
      if (e.isDirectory() || READABLE.test(e.name)) walk(path.join(p, e.name));
    }
  };
  paths.forEach(walk);
  return { files, missing };
}

function textStream(file: string): Readable {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 16 });
  if (!/\.gz$/i.test(file)) return raw.setEncoding('utf8');
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 16 });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip).setEncoding('utf8');
}

function streamFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/.test(err.message)) return 'the gzip data ends early (truncated file)';
  if (err.code === 'Z_DATA_ERROR' || /incorrect header check/.test(err.message)) return `not gzip data: ${err.message}`;
  return err.message;
}

async function* jsonRecords(file: string, shown: string): AsyncGenerator<Rec> {
  const splitter = new RecordSplitter();
  let n = 0;
  try {
    for await (const chunk of textStream(file)) {
      for (const el of splitter.feed(chunk as string)) {
        n++;
        yield recordOfElement(JSON.parse(el));
      }
    }
    splitter.end();
  } catch (e) {
    if (e instanceof JsonStreamError) throw new SourceError(shown, e.record, e.message);
    if (e instanceof SyntaxError) throw new SourceError(shown, n, `not JSON: ${e.message}`);
    if (e instanceof RowError) throw new SourceError(shown, n, e.message);
    throw new SourceError(shown, n + 1, streamFailure(e));
  }
}

async function* csvRecords(file: string, shown: string): AsyncGenerator<Rec> {
  const splitter = new CsvSplitter();
  let header: string[] | undefined;
  let n = 0;
  const toRecord = (row: string[]): Rec => {
    if (row.length !== header!.length) throw new RowError(`${row.length} ${row.length === 1 ? 'column' : 'columns'}; the header has ${header!.length}`);
    return canonical(Object.fromEntries(header!.map((h, i) => [h, row[i]])));
  };
  try {
    for await (const chunk of textStream(file)) {
      for (const row of splitter.feed(chunk as string)) {
        if (header === undefined) header = row.map((h) => h.trim().toLowerCase());
        else if (row.length > 1 || row[0] !== '') yield toRecord(row), n++;
      }
    }
    for (const row of splitter.end()) if (header !== undefined) yield toRecord(row), n++;
  } catch (e) {
    throw new SourceError(shown, n + 1, e instanceof RowError ? e.message : streamFailure(e));
  }
}

/** The records of one file, each with its 1-based number in the file. */
export function recordsOf(file: string, shown: string): AsyncGenerator<Rec> {
  return /\.csv(\.gz)?$/i.test(file) ? csvRecords(file, shown) : jsonRecords(file, shown);
}
