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

/**
 * Scans `text` as JSON (RFC 8259): the first syntax error, if any, every
 * duplicated key, the characters IAM refuses, the numbers that would not
 * survive a round trip, and where each value starts.
 */
export function scanJson(text: string): JsonScan {
  const duplicates: DuplicateKey[] = [];
  const foreign: ForeignCharacter[] = [];
  const numbers: RewrittenNumber[] = [];
  const offsets = new Map<string, number>();
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw { offset: at, message } satisfies JsonProblem;
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = (): string => (i >= text.length ? 'the end of the text' : `"${text[i]}"`);
  const string = (pointer: string): string => {
    const start = i;
    i++;
    let out = '';
    let refused = false;
    const check = (code: number, at: number): void => {
      if (!refused && !iamCharacter(code)) {
        refused = true;
        foreign.push({ pointer, codePoint: code, offset: at });
      }
    };
    for (;;) {
      if (i >= text.length) fail('a string that never ends', start);
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('a \\u escape needs four hex digits');
          const unit = parseInt(text.slice(i + 2, i + 6), 16);
          check(unit, i);
          out += String.fromCharCode(unit);
          i += 6;
          continue;
        }
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === undefined || simple[e] === undefined) fail(`an unknown escape \\${e ?? ''}`, i);
        check(simple[e!]!.charCodeAt(0), i);
        out += simple[e!];
        i += 2;
        continue;
      }
      if (c < ' ') fail('a control character inside a string (write it as an escape)');
      check(text.codePointAt(i)!, i);
      out += c;
      i++;
    }
  };
  const value = (pointer: string): void => {
    ws();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a key in double quotes, found ${describe()}`);
        const at = i;
        const before = foreign.length;
        const key = string(pointer);
        const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (foreign.length > before) foreign[before] = { ...foreign[before]!, pointer: child, key: true };
        if (seen.has(key)) duplicates.push({ pointer, key, offset: at });
        seen.add(key);
        ws();
        if (text[i] !== ':') fail(`expected ":" after the key "${key}", found ${describe()}`);
        i++;
        value(child);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('a comma before "}" (JSON allows no trailing comma)', i);
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}", found ${describe()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${pointer}/${n}`);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('a comma before "]" (JSON allows no trailing comma)', i);
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]", found ${describe()}`);
      }
    }
    if (c === '"') {
      string(pointer);
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      const t = literal[0];
      if (/^[-0-9]/.test(t) && JSON.stringify(Number(t)) !== t) numbers.push({ pointer, text: t, offset: i });
      i += t.length;
      return;
    }
    fail(c === "'" ? 'single quotes: JSON strings use double quotes' : `expected a value, found ${describe()}`);
  };
  try {
    value('');
    ws();
    if (i < text.length) fail(`more after the end of the document: ${describe()}`);
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
