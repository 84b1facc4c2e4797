// The lines of a YAML text as indentation sees them, for the messages that
// say how a line is indented against the lines above it (yaml-errors.ts,
// continued-items.ts).

/** One line as indentation sees it: where it starts, whether it is a list item, and the key it holds. */
export interface Shape {
  readonly line: number;
  /** 0-based column of its first character ('-' for an item). */
  readonly indent: number;
  readonly item: boolean;
  /** The key written on the line (after the '-' of an item), if any. */
  readonly key?: string;
  /** 0-based column of the key, or of the item's value. */
  readonly content: number;
  /** Whether a value follows the key on the same line. */
  readonly inline: boolean;
}

/** The lines of a text: line numbers of offsets, and each line's shape. */
export class Lines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  lineAt(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const end = this.starts[line] ?? this.text.length + 1;
    return this.text.slice(start, end - 1).replace(/\r$/, '');
  }

  /** Offset of the first character of a line that is not a space. */
  tokenStart(line: number): number {
    return (this.starts[line - 1] ?? this.text.length) + /^ */.exec(this.lineAt(line))![0].length;
  }

  /** The next line after `line` that holds more than spaces and a comment. */
  nextContent(line: number): number | undefined {
    for (let n = line + 1; n <= this.starts.length; n++) if (this.shape(n)) return n;
    return undefined;
  }

  /** The value written after the key of a line, trimmed. */
  valueOf(shape: Shape): string {
    const written = this.lineAt(shape.line).slice(shape.content + shape.key!.length);
    return written.replace(/^:\s*/, '').trim();
  }

  /** The shape of a line, or undefined for a blank or comment line. */
  shape(line: number): Shape | undefined {
    const written = this.lineAt(line);
    const indent = /^ */.exec(written)![0].length;
    const rest = written.slice(indent);
    if (rest === '' || rest.startsWith('#')) return undefined;
    const item = /^-(?:[ \t]+|$)/.exec(rest);
    const content = indent + (item ? item[0].length : 0);
    const pair = /^("[^"]*"|'[^']*'|[^\s#:'"[\]{},-][^#]*?|-[^\s#][^#]*?):(?:[ \t]+(.*)|$)/.exec(written.slice(content));
    if (!pair) return { line, indent, item: item !== null, content, inline: false };
    const value = (pair[2] ?? '').trim();
    return { line, indent, item: item !== null, key: pair[1]!, content, inline: value !== '' && !value.startsWith('#') };
  }

  /**
   * The lines above `line` that it could belong with, nearest first: the
   * line just above it, then each earlier line indented less than all the
   * lines between.
   */
  enclosing(line: number): Shape[] {
    const out: Shape[] = [];
    let min = Infinity;
    for (let n = line - 1; n >= 1; n--) {
      const s = this.shape(n);
      if (!s || s.indent >= min) continue;
      out.push(s);
      min = s.indent;
      if (min === 0) break;
    }
    return out;
  }
}
