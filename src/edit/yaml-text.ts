// Edits YAML text in place: lines are inserted and removed at positions the
// parser reports, so comments, quoting, key order and flow style everywhere
// else stay byte for byte as they were. Re-serialising a whole document would
// restyle it (spacing inside flow collections, folded long lines).
import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** Text plus the parsed document it came from; every edit returns a new one. */
export class YamlText {
  readonly doc: Document.Parsed;
  readonly newline: string;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { keepSourceTokens: false });
    this.newline = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The top-level mapping. */
  root(): YAMLMap {
    const c = this.doc.contents;
    if (!isMap(c)) throw new EditError('the file is not a mapping');
    return c;
  }

  pair(key: string): Pair | undefined {
    return this.root().items.find((p) => isScalar(p.key) && p.key.value === key);
  }

  seq(key: string): YAMLSeq | undefined {
    const v = this.pair(key)?.value;
    return isSeq(v) ? v : undefined;
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset just past the newline that ends the line holding `offset` (or the end of text). */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  splice(start: number, end: number, insert: string): YamlText {
    return new YamlText(this.text.slice(0, start) + insert + this.text.slice(end));
  }

  /**
   * Removes one item of a block sequence: its lines, and the comment lines
   * directly above it at the same indentation (they describe that item).
   */
  removeBlockItem(seq: YAMLSeq, index: number): YamlText {
    const item = seq.items[index] as Node;
    const [start, valueEnd] = item.range!;
    let from = this.lineStart(start);
    const dash = this.text.slice(from, start).indexOf('-');
    const indent = this.text.slice(from, from + dash);
    while (from > 0) {
      const prev = this.lineStart(from - 1);
      const line = this.text.slice(prev, from).replace(/\r?\n$/, '');
      if (line.startsWith(`${indent}#`)) from = prev;
      else break;
    }
    const last = this.text.slice(start, valueEnd).trimEnd();
    const to = this.lineEnd(start + Math.max(0, last.length - 1));
    return this.splice(from, to, '');
  }

  /** Replaces a flow sequence with the given plain items, written [a, b]. */
  replaceFlowSeq(seq: YAMLSeq, items: readonly string[]): YamlText {
    const [start, end] = seq.range!;
    return this.splice(start, end, `[${items.map(flowScalar).join(', ')}]`);
  }

  /** The indentation (spaces) of the dashes of a block sequence's items. */
  blockIndent(seq: YAMLSeq): string {
    const first = seq.items[0] as Node;
    const ls = this.lineStart(first.range![0]);
    const dash = this.text.slice(ls, first.range![0]).indexOf('-');
    return ' '.repeat(dash);
  }

  /** Inserts lines (each without its newline) before item `index` of a block sequence, or after its last item. */
  insertBlockLines(seq: YAMLSeq, index: number, lines: readonly string[]): YamlText {
    const block = lines.map((l) => l + this.newline).join('');
    if (index < seq.items.length) {
      const item = seq.items[index] as Node;
      let at = this.lineStart(item.range![0]);
      // Keep the comment lines above that item attached to it.
      const indent = this.blockIndent(seq);
      while (at > 0) {
        const prev = this.lineStart(at - 1);
        if (this.text.slice(prev, at).startsWith(`${indent}#`)) at = prev;
        else break;
      }
      return this.splice(at, at, block);
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const tail = this.text.slice(last.range![0], last.range![1]).trimEnd();
    const at = this.lineEnd(last.range![0] + Math.max(0, tail.length - 1));
    const sep = at === this.text.length && !this.text.endsWith('\n') ? this.newline : '';
    return this.splice(at, at, sep + block);
  }

  /** Inserts lines after the value of a top-level key (or at the end when the key is absent). */
  insertAfterKey(key: string | undefined, lines: readonly string[]): YamlText {
    const block = lines.map((l) => l + this.newline).join('');
    const p = key === undefined ? undefined : this.pair(key);
    if (!p) {
      const sep = this.text === '' || this.text.endsWith('\n') ? '' : this.newline;
      return this.splice(this.text.length, this.text.length, sep + block);
    }
    const v = (p.value ?? p.key) as Node;
    const tail = this.text.slice(v.range![0], v.range![1]).trimEnd();
    const at = this.lineEnd(v.range![0] + Math.max(0, tail.length - 1));
    const sep = at === this.text.length && !this.text.endsWith('\n') ? this.newline : '';
    return this.splice(at, at, sep + block);
  }

  /** Replaces a scalar value, keeping the rest of its line (a trailing comment stays). */
  replaceScalar(node: Node, value: string): YamlText {
    const [start, end] = node.range!;
    return this.splice(start, end, blockScalar(value));
  }
}

export class EditError extends Error {}

/** A scalar as it may stand after `key: ` in block context: plain when YAML reads it back as the same string. */
export function blockScalar(value: string): string {
  const one = value.replace(/\s*[\r\n]+\s*/g, ' ');
  return stringify(one, { lineWidth: 0 }).trimEnd();
}

/** A scalar inside a flow collection: quoted when plain would not read back as the same string there. */
export function flowScalar(value: string): string {
  if (/^[A-Za-z0-9@._\-/+][A-Za-z0-9@._\-/+ ]*$/.test(value) && !/ $/.test(value) && stringify(value).trimEnd() === value) return value;
  return JSON.stringify(value);
}

/** The text value of a scalar node, or undefined. */
export function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

/** Reads a key of a mapping node as text. */
export function mapText(node: unknown, key: string): string | undefined {
  if (!isMap(node)) return undefined;
  const p = node.items.find((i) => isScalar(i.key) && i.key.value === key);
  return p ? scalarText(p.value) : undefined;
}

export function mapValueNode(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const p = node.items.find((i) => isScalar(i.key) && i.key.value === key);
  return (p?.value ?? undefined) as Node | undefined;
}
