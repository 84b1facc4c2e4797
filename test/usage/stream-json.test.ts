// The streaming record splitter: the same records whatever the chunking, strings
// with brackets and escapes inside records and in skipped values, and errors
// naming the record the text went wrong in.
import { JsonStreamError, RecordSplitter } from '../../src/usage/stream-json';
import { CsvSplitter, parseStruct } from '../../src/usage/query-rows';

const RECORDS = [
  { eventID: 'a', note: 'braces } ] { [ and a quote \\" and \\\\', nested: { list: [1, { x: '}' }] } },
  { eventID: 'b', unicode: 'Zoë — 日本', empty: {} },
  [{ eventID: 'c' }, { eventTime: '2026-01-01 00:00:00.000' }],
];
const TEXT = `{ "eventVersion": "x", "skipped": {"Records": "not this", "a": [1, "]}"]}, "n": -1.5e3, "t": true,
  "Records" : [ ${RECORDS.map((r) => JSON.stringify(r)).join(' ,\n ')} ], "after": ["{"], "x": null }`;

function split(text: string, size: number): string[] {
  const s = new RecordSplitter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.feed(text.slice(i, i + size)));
  s.end();
  return out;
}

function failure(text: string): string {
  try {
    split(text, 3);
  } catch (e) {
    if (e instanceof JsonStreamError) return `record ${e.record}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('RecordSplitter', () => {
  it.each([1, 2, 3, 7, 64, 100_000])('yields each record whole in chunks of %i characters', (size) => {
    expect(split(TEXT, size).map((t) => JSON.parse(t) as unknown)).toEqual(RECORDS);
  });

  it('reads a top-level array, and an empty Records array', () => {
    expect(split('[{"a":1},{"b":"]"}]', 2)).toEqual(['{"a":1}', '{"b":"]"}']);
    expect(split('{"Records":[]}\n', 1)).toEqual([]);
  });

  it.each([
    ['', 'record 1: the file is empty'],
    ['{"Records":[{"a":1},{"b":"}', 'record 2: the file ends inside this record (truncated?)'],
    ['{"Records":[{"a":1}', 'record 2: the file ends before its records array does (truncated?)'],
    ['{"Records":[{"a":1}]', 'record 2: the file ends before its records array does (truncated?)'],
    ['{"Records":[{"a":1}, 7]}', 'record 2: expected a record (a JSON object), found "7"'],
    ['{"Records":[]} {', 'record 1: unexpected "{" after the end of the JSON text'],
    ['"Records"', 'record 1: expected a JSON object or array, found """'],
    ['{"Records" [', 'record 1: expected ":" after "Records", found "["'],
    ['{"Other": [{"a": 1}]}', 'record 1: no "Records" (or "QueryResultRows") array in this JSON object'],
  ])('%j: %s', (text, message) => {
    expect(failure(text)).toBe(message);
  });
});

describe('CsvSplitter and Athena structs', () => {
  it.each([1, 2, 5, 1000])('splits quoted fields with commas, quotes and newlines in chunks of %i', (size) => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n1,,3';
    const s = new CsvSplitter();
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i += size) rows.push(...s.feed(text.slice(i, i + size)));
    rows.push(...s.end());
    expect(rows).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines'], ['1', '', '3']]);
  });

  it('parses nested structs, nulls and arrays', () => {
    expect(parseStruct('{type=AssumedRole, arn=arn:aws:sts::1:assumed-role/R/s, invokedby=null, ctx={attributes={mfa=false}, ids=[a, b]}}'))
      .toEqual({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/R/s', invokedby: null, ctx: { attributes: { mfa: 'false' }, ids: '[a, b]' } });
  });
});
