// A strict JSON reader for policy files: where the first syntax error is (the
// character itself, not 1:1), and which object keys appear twice. JSON.parse
// keeps the last of two "Effect" keys without a word; IAM's own parser
// refuses such a document, and a reviewer reading the first would be misled.

export interface JsonProblem {
  /** Offset in the text (UTF-16 units) of the character at fault. */
  readonly offset: number;
  readonly message: string;
}

export interface DuplicateKey {
  /** JSON pointer of the object holding the key. */
  readonly pointer: string;
  readonly key: string;
  /** Offset of the second occurrence. */
  readonly offset: number;
}

/** A character IAM does not accept in a policy (outside tab, line feed, carriage return and U+0020-U+00FF). */
export interface ForeignCharacter {
  /** JSON pointer of the string's value (a key's pointer names the key). */
  readonly pointer: string;
  readonly codePoint: number;
  /** Offset of the character, or of the escape that writes it. */
  readonly offset: number;
  /** In a key rather than a value. */
  readonly key?: boolean;
}

/** A number whose text JSON.parse and JSON.stringify do not give back (1.0 becomes 1). */
export interface RewrittenNumber {
  readonly pointer: string;
  readonly text: string;
  readonly offset: number;
}

export interface JsonScan {
  readonly error?: JsonProblem;
  readonly duplicates: DuplicateKey[];
  /** The first refused character of each string that holds one. */
  readonly foreign: ForeignCharacter[];
  readonly numbers: RewrittenNumber[];
  /** JSON pointer -> offset where the value starts (the last of duplicated keys). */
  readonly offsets: Map<string, number>;
}

/** True for the characters IAM accepts in a policy document: tab, line feed, carriage return and U+0020-U+00FF. */
export function iamCharacter(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xff);
}

/** The reader's position and what it has found so far, passed to each step. */
interface Scanner {
  readonly text: string;
  i: number;
  readonly duplicates: DuplicateKey[];
  readonly foreign: ForeignCharacter[];
  readonly numbers: RewrittenNumber[];
  readonly offsets: Map<string, number>;
}

function fail(s: Scanner, message: string, at = s.i): never {
  throw { offset: at, message } satisfies JsonProblem;
}

function skipSpace(s: Scanner): void {
  const { text } = s;
  while (s.i < text.length && (text[s.i] === ' ' || text[s.i] === '\t' || text[s.i] === '\n' || text[s.i] === '\r')) s.i++;
}

function describeNext(s: Scanner): string {
  return s.i >= s.text.length ? 'the end of the text' : `"${s.text[s.i]}"`;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Reads the escape at `s.i` (a backslash); notes its character with `check` and returns it. */
function readEscape(s: Scanner, check: (code: number, at: number) => void): string {
  const { text } = s;
  const e = text[s.i + 1];
  if (e === 'u') {
    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(s.i + 2, s.i + 6))) fail(s, 'a \\u escape needs four hex digits');
    const unit = parseInt(text.slice(s.i + 2, s.i + 6), 16);
    check(unit, s.i);
    s.i += 6;
    return String.fromCharCode(unit);
  }
  const simple = SIMPLE_ESCAPES;
  if (e === undefined || simple[e] === undefined) fail(s, `an unknown escape \\${e ?? ''}`, s.i);
  check(simple[e!]!.charCodeAt(0), s.i);
  s.i += 2;
  return simple[e!]!;
}

/** Reads the string starting at `s.i` (a double quote), noting its first character IAM refuses. */
function readString(s: Scanner, pointer: string): string {
  const { text } = s;
  const start = s.i;
  s.i++;
  let out = '';
  let refused = false;
  const check = (code: number, at: number): void => {
    if (!refused && !iamCharacter(code)) {
      refused = true;
      s.foreign.push({ pointer, codePoint: code, offset: at });
    }
  };
  for (;;) {
    if (s.i >= text.length) fail(s, 'a string that never ends', start);
    const c = text[s.i]!;
    if (c === '"') {
      s.i++;
      return out;
    }
    if (c === '\\') {
      out += readEscape(s, check);
      continue;
    }
    if (c < ' ') fail(s, 'a control character inside a string (write it as an escape)');
    check(text.codePointAt(s.i)!, s.i);
    out += c;
    s.i++;
  }
}

/** Reads one key and its colon; returns the key and the pointer of its value. */
function readKey(s: Scanner, pointer: string, seen: Set<string>): { key: string; child: string } {
  if (s.text[s.i] !== '"') fail(s, `expected a key in double quotes, found ${describeNext(s)}`);
  const at = s.i;
  const before = s.foreign.length;
  const key = readString(s, pointer);
  const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (s.foreign.length > before) s.foreign[before] = { ...s.foreign[before]!, pointer: child, key: true };
  if (seen.has(key)) s.duplicates.push({ pointer, key, offset: at });
  seen.add(key);
  skipSpace(s);
  if (s.text[s.i] !== ':') fail(s, `expected ":" after the key "${key}", found ${describeNext(s)}`);
  s.i++;
  return { key, child };
}

/**
 * After an item of an object or array: true after a comma (another item
 * follows), false after the closing bracket.
 */
function nextItem(s: Scanner, close: '}' | ']'): boolean {
  skipSpace(s);
  if (s.text[s.i] === ',') {
    s.i++;
    skipSpace(s);
    if (s.text[s.i] === close) fail(s, `a comma before "${close}" (JSON allows no trailing comma)`, s.i);
    return true;
  }
  if (s.text[s.i] === close) {
    s.i++;
    return false;
  }
  return fail(s, `expected "," or "${close}", found ${describeNext(s)}`);
}

/** Reads the object starting at `s.i` (an opening brace). */
function readObject(s: Scanner, pointer: string): void {
  s.i++;
  const seen = new Set<string>();
  skipSpace(s);
  if (s.text[s.i] === '}') {
    s.i++;
    return;
  }
  do {
    skipSpace(s);
    const { child } = readKey(s, pointer, seen);
    readValue(s, child);
  } while (nextItem(s, '}'));
}

/** Reads the array starting at `s.i` (an opening bracket). */
function readArray(s: Scanner, pointer: string): void {
  s.i++;
  skipSpace(s);
  if (s.text[s.i] === ']') {
    s.i++;
    return;
  }
  let n = 0;
  do {
    readValue(s, `${pointer}/${n}`);
    n++;
  } while (nextItem(s, ']'));
}

/** Reads true, false, null or a number, noting a number that would not round-trip. */
function readLiteral(s: Scanner, pointer: string): void {
  const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(s.text.slice(s.i, s.i + 400));
  if (literal) {
    const t = literal[0];
    if (/^[-0-9]/.test(t) && JSON.stringify(Number(t)) !== t) s.numbers.push({ pointer, text: t, offset: s.i });
    s.i += t.length;
    return;
  }
  const c = s.text[s.i];
  fail(s, c === "'" ? 'single quotes: JSON strings use double quotes' : `expected a value, found ${describeNext(s)}`);
}

function readValue(s: Scanner, pointer: string): void {
  skipSpace(s);
  s.offsets.set(pointer, s.i);
  const c = s.text[s.i];
  if (c === '{') return readObject(s, pointer);
  if (c === '[') return readArray(s, pointer);
  if (c === '"') {
    readString(s, pointer);
    return;
  }
  readLiteral(s, pointer);
}

/**
 * Scans `text` as JSON (RFC 8259): the first syntax error, if any, every
 * duplicated key, the characters IAM refuses, the numbers that would not
 * survive a round trip, and where each value starts.
 */
export function scanJson(text: string): JsonScan {
  const s: Scanner = { text, i: 0, duplicates: [], foreign: [], numbers: [], offsets: new Map<string, number>() };
  const { duplicates, foreign, numbers, offsets } = s;
  try {
    readValue(s, '');
    skipSpace(s);
    if (s.i < text.length) fail(s, `more after the end of the document: ${describeNext(s)}`);
    return { duplicates, foreign, numbers, offsets };
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return { error: e as JsonProblem, duplicates, foreign, numbers, offsets };
    throw e;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
