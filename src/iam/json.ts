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

/** Scans `text` as JSON (RFC 8259): the first syntax error, if any, and every duplicated key. */
export function scanJson(text: string): { error?: JsonProblem; duplicates: DuplicateKey[] } {
  const duplicates: DuplicateKey[] = [];
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw { offset: at, message } satisfies JsonProblem;
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = (): string => (i >= text.length ? 'the end of the file' : `"${text[i]}"`);
  const string = (): string => {
    const start = i;
    i++;
    let out = '';
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
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === undefined || simple[e] === undefined) fail(`an unknown escape \\${e ?? ''}`, i);
        out += simple[e!];
        i += 2;
        continue;
      }
      if (c < ' ') fail('a control character inside a string (write it as an escape)');
      out += c;
      i++;
    }
  };
  const value = (pointer: string): void => {
    ws();
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
        const key = string();
        if (seen.has(key)) duplicates.push({ pointer, key, offset: at });
        seen.add(key);
        ws();
        if (text[i] !== ':') fail(`expected ":" after the key "${key}", found ${describe()}`);
        i++;
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
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
      string();
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return;
    }
    fail(c === "'" ? 'single quotes: JSON strings use double quotes' : `expected a value, found ${describe()}`);
  };
  try {
    value('');
    ws();
    if (i < text.length) fail(`more after the end of the document: ${describe()}`);
    return { duplicates };
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return { error: e as JsonProblem, duplicates };
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
