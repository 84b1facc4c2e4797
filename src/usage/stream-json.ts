// A streaming splitter for CloudTrail's JSON: it yields the elements of the
// `Records` array (S3 delivery), of `QueryResultRows` (CloudTrail Lake query
// results) or of a top-level array, one at a time, as text for JSON.parse, by
// tracking strings, escapes and bracket depth. A file is never held whole:
// only the element being read is kept, so memory stays flat with file size.

/** Keys of a top-level object whose array holds the records. */
const RECORD_KEYS: ReadonlySet<string> = new Set(['Records', 'QueryResultRows']);

export class JsonStreamError extends Error {
  /** @param record the 1-based number of the record being read when the text went wrong. */
  constructor(readonly record: number, message: string) {
    super(message);
  }
}

type Mode = 'top' | 'key' | 'keystr' | 'colon' | 'value' | 'skip' | 'array' | 'elem' | 'done';

const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Feed text chunks; each call returns the records completed by that chunk. */
export class RecordSplitter {
  private mode: Mode = 'top';
  private topIsArray = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private key = '';
  private foundArray = false;
  private parts: string[] = [];
  /** Records completed so far. */
  count = 0;

  feed(chunk: string): string[] {
    const out: string[] = [];
    let start = this.mode === 'elem' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.mode === 'elem') {
        if (this.scanElem(c)) {
          this.parts.push(chunk.slice(start, i + 1));
          out.push(this.parts.join(''));
          this.parts = [];
          this.count++;
          this.mode = 'array';
        }
        continue;
      }
      if (this.mode === 'keystr' || this.mode === 'skip') {
        this.scanAside(c, chunk[i]!);
        continue;
      }
      if (isSpace(c)) continue;
      if (this.structural(c)) {
        start = i;
        this.mode = 'elem';
        this.depth = 1;
        this.inString = false;
        this.escape = false;
      }
    }
    if (this.mode === 'elem') this.parts.push(chunk.slice(Math.max(start, 0)));
    return out;
  }

  /** Call at the end of the text: throws when it ended before the records did. */
  end(): void {
    if (this.mode === 'done') return;
    if (this.mode === 'elem') throw new JsonStreamError(this.count + 1, 'the file ends inside this record (truncated?)');
    if (this.mode === 'top') throw new JsonStreamError(this.count + 1, 'the file is empty');
    throw new JsonStreamError(this.count + 1, 'the file ends before its records array does (truncated?)');
  }

  /** One character inside a record: true when it closes the record. */
  private scanElem(c: number): boolean {
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (c === BACKSLASH) this.escape = true;
      else if (c === QUOTE) this.inString = false;
      return false;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === 123 || c === 91) this.depth++;
    else if (c === 125 || c === 93) return --this.depth === 0;
    return false;
  }

  /** A character of a top-level key, or of a top-level value that holds no records. */
  private scanAside(c: number, ch: string): void {
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (c === BACKSLASH) this.escape = true;
      else if (c === QUOTE) {
        this.inString = false;
        if (this.mode === 'keystr') this.mode = 'colon';
      }
      if (this.mode === 'keystr' && this.inString) this.key += ch;
      return;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === 123 || c === 91) this.depth++;
    else if (c === 125 || c === 93 || c === 44) {
      if (this.depth > 0) {
        if (c !== 44) this.depth--;
        return;
      }
      this.mode = c === 44 ? 'key' : 'done';
      if (c === 93) this.fail('unexpected "]"');
      if (c === 125) this.closeTop();
    }
  }

  /** A non-space character outside records and skipped values: true when it opens a record. */
  private structural(c: number): boolean {
    const ch = String.fromCharCode(c);
    switch (this.mode) {
      case 'top':
        if (c === 91) [this.topIsArray, this.foundArray, this.mode] = [true, true, 'array'];
        else if (c === 123) this.mode = 'key';
        else this.fail(`expected a JSON object or array, found "${ch}"`);
        return false;
      case 'key':
        if (c === QUOTE) [this.mode, this.key, this.inString, this.escape] = ['keystr', '', true, false];
        else if (c === 125) this.closeTop();
        else if (c !== 44) this.fail(`expected a key, found "${ch}"`);
        return false;
      case 'colon':
        if (c !== 58) this.fail(`expected ":" after "${this.key}", found "${ch}"`);
        this.mode = 'value';
        return false;
      case 'value':
        if (RECORD_KEYS.has(this.key) && c === 91) [this.foundArray, this.mode] = [true, 'array'];
        else [this.mode, this.depth, this.inString] = ['skip', c === 123 || c === 91 ? 1 : 0, c === QUOTE];
        return false;
      case 'array':
        if (c === 123 || c === 91) return true;
        if (c === 93) this.mode = this.topIsArray ? 'done' : 'key';
        else if (c !== 44) this.fail(`expected a record (a JSON object), found "${ch}"`);
        return false;
      default:
        return this.fail(`unexpected "${ch}" after the end of the JSON text`);
    }
  }

  private closeTop(): void {
    if (!this.foundArray) this.fail('no "Records" (or "QueryResultRows") array in this JSON object');
    this.mode = 'done';
  }

  private fail(what: string): never {
    throw new JsonStreamError(this.count + 1, what);
  }
}
