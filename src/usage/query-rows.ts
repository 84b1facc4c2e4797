// CloudTrail Lake and Athena query results, made into records of CloudTrail's
// shape. Lake's get-query-results rows are arrays of one-key objects
// ([{"eventID": "…"}, {"eventTime": "…"}, …]); Athena's CSV has lower-case
// column names (eventid, useridentity, …), with userIdentity either JSON or
// Athena's struct text ({type=AssumedRole, arn=arn:…, onbehalfof={userid=…}}),
// and requestParameters a JSON string.

import type { Rec } from './cloudtrail';

/** CloudTrail's spelling of the fields the usage reader needs, by lower-case name. */
const CANONICAL: ReadonlyMap<string, string> = new Map(
  ['eventID', 'eventTime', 'eventSource', 'eventName', 'userIdentity', 'requestParameters', 'recipientAccountId',
    'additionalEventData', 'errorCode', 'type', 'arn', 'accountId', 'userName', 'onBehalfOf', 'userId', 'identityStoreArn',
    'roleName', 'roleArn'].map((k) => [k.toLowerCase(), k]),
);
const NESTED: ReadonlySet<string> = new Set(['userIdentity', 'requestParameters', 'additionalEventData', 'onBehalfOf']);

export class RowError extends Error {}

/** Athena's struct text {k=v, k2={…}} as an object (values are strings, null, nested structs or arrays of strings). */
export function parseStruct(s: string): Rec {
  let i = 0;
  const value = (): unknown => {
    if (s[i] === '{') {
      const o: Rec = {};
      i++;
      while (i < s.length && s[i] !== '}') {
        while (s[i] === ' ' || s[i] === ',') i++;
        const eq = s.indexOf('=', i);
        if (eq < 0) throw new RowError(`not a struct: ${s.slice(0, 60)}`);
        const key = s.slice(i, eq).trim();
        i = eq + 1;
        o[key] = value();
        while (s[i] === ' ') i++;
        if (s[i] === ',') i++;
      }
      i++;
      return o;
    }
    let depth = 0;
    const start = i;
    for (; i < s.length; i++) {
      const ch = s[i];
      if (ch === '[') depth++;
      else if (ch === ']') depth--;
      else if (depth === 0 && (ch === ',' || ch === '}')) break;
    }
    const v = s.slice(start, i).trim();
    return v === 'null' ? null : v;
  };
  const out = value();
  if (out === null || typeof out !== 'object') throw new RowError(`not a struct: ${s.slice(0, 60)}`);
  return out as Rec;
}

function nested(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === '' || t === 'null') return undefined;
  if (t.startsWith('{"') || t === '{}') {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      // Kept as text: an irrelevant event may carry anything; a sign-in whose parameters are not JSON is an error there.
      return v;
    }
  }
  return t.startsWith('{') ? parseStruct(t) : v;
}

/** A record with CloudTrail's field names; nested JSON or struct strings parsed. */
export function canonical(raw: Rec): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = CANONICAL.get(k.toLowerCase()) ?? k;
    out[key] = NESTED.has(key) ? canonicalValue(nested(v)) : v;
  }
  return out;
}

function canonicalValue(v: unknown): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? canonical(v as Rec) : v;
}

/** A Lake row ([{k: v}, …]) or a whole record as one record. */
export function recordOfElement(el: unknown): Rec {
  if (Array.isArray(el)) {
    const merged: Rec = {};
    for (const cell of el) {
      if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) throw new RowError('a query result row cell is not an object');
      Object.assign(merged, cell);
    }
    return canonical(merged);
  }
  if (el === null || typeof el !== 'object') throw new RowError('not a JSON object');
  // CloudTrail's own records (S3 delivery) are already in its spelling: the common case, kept as read.
  return 'eventSource' in el || 'eventName' in el ? (el as Rec) : canonical(el as Rec);
}

/** Streams CSV text: rows of fields (RFC 4180 quoting, "" escapes, newlines inside quotes). */
export class CsvSplitter {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  private quotePending = false;
  private started = false;

  feed(chunk: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.quoted) {
        if (ch !== '"') this.field += ch;
        else if (chunk[i + 1] === '"') [this.field, i] = [this.field + '"', i + 1];
        else if (i + 1 === chunk.length) this.quotePending = true;
        else this.quoted = false;
        if (this.quotePending && i + 1 === chunk.length) this.quoted = false;
        continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') [this.quoted, this.field] = [true, this.field + '"'];
        if (ch === '"') continue;
      }
      this.started = true;
      if (ch === '"') this.quoted = true;
      else if (ch === ',') [this.row, this.field] = [[...this.row, this.field], ''];
      else if (ch === '\n') rows.push(this.endRow());
      else if (ch !== '\r') this.field += ch;
    }
    return rows;
  }

  /** The last row when the text does not end with a newline; throws inside an open quote. */
  end(): string[][] {
    if (this.quoted) throw new RowError('the file ends inside a quoted field (truncated?)');
    return this.started && (this.row.length > 0 || this.field !== '') ? [this.endRow()] : [];
  }

  private endRow(): string[] {
    const r = [...this.row, this.field];
    [this.row, this.field, this.started] = [[], '', false];
    return r;
  }
}
