import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { diag, type Diagnostic, type Position } from '../diagnostics';
import { bytePosition, firstInvalidUtf8 } from '../util/utf8';
import type { SourceFile } from './source';
import { continuedListItem } from './continued-items';
import { yamlErrorDiagnostics } from './yaml-errors';

/** A path into a parsed document: mapping keys and list indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can map any path in its data back to line:column. */
export interface YamlFile {
  readonly file: string;
  readonly rel: string;
  readonly data: unknown;
  /** Where the value at `path` starts, or with `'key'` where its key starts; falls back to the nearest ancestor. */
  locate(path: DataPath, target?: 'key' | 'value'): Position;
  /** The source text of the scalar at `path`, if there is one. */
  sourceText(path: DataPath): string | undefined;
}

/** Aliases a file may expand before it counts as an alias bomb (ACC013). */
export const MAX_ALIAS_COUNT = 100;

/** Parses one source file; returns the file or the diagnostics that explain why not. */
export function parseYaml(source: SourceFile): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const core = parseCore(source);
  if (!('doc' in core)) return core;
  return { file: documentFile(source, core), diagnostics: [] };
}

/** The YamlFile of a parsed document: positions straight from its nodes. */
function documentFile(source: SourceFile, core: Extract<Core, { doc: unknown }>): YamlFile {
  const { doc, text, data, posOf, at } = core;

  const nodeAt = (path: DataPath, target: 'key' | 'value'): Node | null => {
    let node: unknown = doc.contents;
    let best: Node | null = (doc.contents as Node | null) ?? null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => keyString(p.key) === String(seg));
        if (!pair) break;
        if (i === path.length - 1 && target === 'key' && isNodeLike(pair.key)) return pair.key as Node;
        if (!isNodeLike(pair.value)) return isNodeLike(pair.key) ? (pair.key as Node) : best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!isNodeLike(item)) break;
        node = item;
      } else break;
      best = node as Node;
    }
    return best;
  };

  return {
    file: source.file,
    rel: source.rel,
    data,
    locate(path, target = 'value') {
      const node = nodeAt(path, target);
      return node?.range ? posOf(node.range[0]) : at(1, 1);
    },
    sourceText(path) {
      const node = nodeAt(path, 'value');
      return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
    },
  };
}

/**
 * A node's place in the source, detached from the parser so it can cross
 * from a worker thread: [start, end, kind, children]. kind 0 is a scalar
 * (or alias), 1 a mapping with [key, keyNode | null, valueNode | null]
 * entries, 2 a sequence with one node (or null) per item.
 */
export type PosNode = [number, number, 0] | [number, number, 1, Array<[string, PosNode | null, PosNode | null]>] | [number, number, 2, Array<PosNode | null>];

/**
 * What a worker sends back for one file: the data and the position tree (and
 * the schema diagnostics when the worker validated it), or the diagnostics
 * that stopped the parse.
 */
export type DetachedParse = { readonly data: unknown; readonly tree: PosNode | null; readonly validated?: Diagnostic[]; readonly diagnostics?: undefined } | { readonly diagnostics: Diagnostic[] };

/** parseYaml for a worker thread: plain data only; `validate` runs on the parsed file before it is detached. */
export function parseDetached(source: SourceFile, validate?: (file: YamlFile) => Diagnostic[]): DetachedParse {
  const core = parseCore(source);
  if (!('doc' in core)) return core;
  const validated = validate ? validate(documentFile(source, core)) : undefined;
  const tree = (n: unknown): PosNode | null => {
    if (!isNodeLike(n)) return null;
    const node = n as Node;
    const [start, end] = node.range!;
    if (isMap(node)) return [start, end, 1, node.items.map((p) => [keyString(p.key), tree(p.key), tree(p.value)])];
    if (isSeq(node)) return [start, end, 2, node.items.map(tree)];
    return [start, end, 0];
  };
  return { data: core.data, tree: tree(core.doc.contents), ...(validated !== undefined ? { validated } : {}) };
}

/** The YamlFile of a parse made elsewhere (parseDetached): positions come from its tree and the file's text. */
export function attachParsed(source: SourceFile, parsed: { data: unknown; tree: PosNode | null }): YamlFile {
  const text = decodedText(source);
  let lineStarts: number[] | undefined;
  const posOf = (offset: number): Position => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: source.file, line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const nodeAt = (path: DataPath, target: 'key' | 'value'): PosNode | null => {
    let node = parsed.tree;
    let best = node;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (node !== null && node[2] === 1) {
        const pair = node[3].find((p) => p[0] === String(seg));
        if (!pair) break;
        if (i === path.length - 1 && target === 'key' && pair[1] !== null) return pair[1];
        if (pair[2] === null) return pair[1] ?? best;
        node = pair[2];
      } else if (node !== null && node[2] === 2 && typeof seg === 'number') {
        const item = node[3][seg];
        if (!item) break;
        node = item;
      } else break;
      best = node;
    }
    return best;
  };
  return {
    file: source.file,
    rel: source.rel,
    data: parsed.data,
    locate(path, target = 'value') {
      const node = nodeAt(path, target);
      return node ? posOf(node[0]) : { file: source.file, line: 1, column: 1 };
    },
    sourceText(path) {
      const node = nodeAt(path, 'value');
      return node && node[2] === 0 ? text.slice(node[0], node[1]) : undefined;
    },
  };
}

function decodedText(source: SourceFile): string {
  let bytes = source.bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

type Core = { doc: Document.Parsed; text: string; data: unknown; posOf: (offset: number) => Position; at: (line: number, column: number) => Position } | { diagnostics: Diagnostic[] };

/** Decoding, YAML parsing and the checks every file gets, shared by both ways of parsing. */
function parseCore(source: SourceFile): Core {
  const at = (line: number, column: number): Position => ({ file: source.file, line, column });
  let bytes = source.bytes;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { diagnostics: [diag('ACC001', at(1, 1), 'file is UTF-16, not UTF-8', 'save the file as UTF-8')] };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const p = bytePosition(bytes, bad);
    const hex = bytes[bad].toString(16).padStart(2, '0');
    return { diagnostics: [diag('ACC001', at(p.line, p.column), `invalid UTF-8 byte 0x${hex}`, 'save the file as UTF-8')] };
  }
  const text = decodedText({ ...source, bytes });
  const refused = forbiddenInFile(text, at);
  if (refused.length > 0) return { diagnostics: refused };
  const directives = refusedDirectives(text, at);
  if (directives.length > 0) return { diagnostics: directives };

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    version: '1.2',
    schema: 'core',
    merge: false,
  });
  const posOf = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return at(p.line, p.col);
  };

  const parsed = { text, doc, posOf };
  const diagnostics: Diagnostic[] = yamlErrorDiagnostics([...doc.errors, ...doc.warnings], parsed);
  visit(doc, {
    Node(_key, node, path) {
      const continued = continuedListItem(_key, node, path, parsed);
      if (continued) diagnostics.push(continued);
      if (isScalar(node) || isMap(node) || isSeq(node)) {
        if (node.tag !== undefined && node.range) {
          diagnostics.push(diag('ACC016', posOf(node.range[0]), `YAML tag "${node.tag}" is not allowed`, 'remove the tag; quote the value if it must be a ' +
              'string'));
        }
      }
      if (isAlias(node) && node.range && node.resolve(doc) === undefined) {
        diagnostics.push(diag('ACC014', posOf(node.range[0]), `alias "*${node.source}" has no anchor "&${node.source}" before it`));
      }
      if (isScalar(node) && typeof node.value === 'string' && node.range) {
        const found = forbiddenCharacter(node.value, text, node.range, node.type === 'QUOTE_DOUBLE');
        if (found) diagnostics.push(diag(
          'ACC028',
          posOf(found.offset),
          `${found.name} in a ${_key === 'key' ? 'key' : 'value'}`,
          'delete the character: access files hold no control or bidirectional formatting characters',
        ));
        const surrogate = node.type === 'QUOTE_DOUBLE' ? escapedSurrogate(node.value, text, node.range) : undefined;
        if (surrogate) diagnostics.push(diag(
          'ACC111',
          posOf(surrogate.offset),
          `${surrogate.name} in a ${_key === 'key' ? 'key' : 'value'}`,
          'write the character itself, or escape its code point with \\U and eight hex digits',
        ));
      }
      if (isMap(node)) {
        for (const c of collidingKeys(node, doc)) {
          const first = posOf(c.first.range![0]);
          diagnostics.push(diag('ACC113', posOf(c.second.range![0]), `key ${shownKey(text, c.second)} and the key ${shownKey(text, c.first)} at line ` +
              `${first.line} are both read as ${JSON.stringify(c.text)}: one of the two values would be lost`, 'keep one of the two keys; quoting a key does not make it another key'));
        }
      }
    },
  });
  if (diagnostics.length > 0) return { diagnostics: dedupe(diagnostics) };

  if (doc.contents === null) {
    return { diagnostics: [diag('ACC006', at(1, 1), 'file is empty', 'an empty file declares nothing and is refused; delete the file if that is intended')] };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const first = firstAlias(doc);
    const where = first?.range ? posOf(first.range[0]) : at(1, 1);
    const message = e instanceof Error && /alias/i.test(e.message)
      ? `aliases expand beyond the limit of ${MAX_ALIAS_COUNT} (a possible alias bomb)`
      : `cannot read the document: ${e instanceof Error ? e.message : String(e)}`;
    return { diagnostics: [diag('ACC013', where, message, 'write the values out instead of nesting aliases')] };
  }

  return { doc, text, data, posOf, at };
}

/**
 * Characters refused in every key and value (ACC028): C0 controls except tab
 * and line feed, DEL and C1 controls, and the bidirectional formatting
 * characters of "Trojan Source" (CVE-2021-42574).
 */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const C0_NAMES = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'HT',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];
const BIDI_NAMES: Readonly<Record<number, string>> = {
  0x061c: 'ARABIC LETTER MARK', 0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** The single-character escapes of YAML double-quoted scalars that make a refused character. */
const ESCAPED: Readonly<Record<string, number>> = { '0': 0x00, a: 0x07, b: 0x08, v: 0x0b, f: 0x0c, r: 0x0d, e: 0x1b, N: 0x85 };

function describeChar(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20) return `control character ${hex} (${C0_NAMES[cp]})`;
  if (cp === 0x7f) return `control character ${hex} (DEL)`;
  if (cp <= 0x9f) return `C1 control character ${hex}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `lone surrogate ${hex}`;
  if (cp === 0xfffe || cp === 0xffff) return `noncharacter ${hex}`;
  return `bidirectional formatting character ${hex} (${BIDI_NAMES[cp] ?? 'bidi control'})`;
}

/** The escapes of a double-quoted scalar's source: where each starts, as written, and the character it makes when that is one ESCAPED lists or a hex escape. */
function* escapesIn(src: string): Generator<{ index: number; written: string; cp: number | undefined }> {
  const escape = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/gsu;
  for (let m = escape.exec(src); m; m = escape.exec(src)) {
    const hexa = m[1] ?? m[2] ?? m[3];
    yield { index: m.index, written: m[0], cp: hexa !== undefined ? Number.parseInt(hexa, 16) : ESCAPED[m[4]!] };
  }
}

/**
 * The first refused character of a scalar's value, and where the source
 * writes it: the raw character, or the escape that makes it in a
 * double-quoted scalar (the scalar's start when neither is found).
 */
function forbiddenCharacter(
  value: string,
  text: string,
  range: readonly [number, number, number],
  doubleQuoted: boolean,
): { offset: number; name: string } | undefined {
  const hit = FORBIDDEN_CHAR.exec(value);
  if (!hit) return undefined;
  const name = describeChar(hit[0].codePointAt(0)!);
  const src = text.slice(range[0], range[1]);
  const raw = FORBIDDEN_CHAR.exec(src);
  let offset = raw ? range[0] + raw.index : range[0];
  if (doubleQuoted) {
    for (const { index, cp } of escapesIn(src)) {
      if (cp !== undefined && cp <= 0x10ffff && FORBIDDEN_CHAR.test(String.fromCodePoint(cp))) {
        if (!raw || range[0] + index < offset) offset = range[0] + index;
        break;
      }
    }
  }
  return { offset, name };
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A surrogate (U+D800-U+DFFF) a double-quoted scalar writes as an escape, a
 * pair of them included, which other YAML readers refuse (ACC111); or, should
 * the value hold a lone one some other way, the scalar's start.
 */
function escapedSurrogate(value: string, text: string, range: readonly [number, number, number]): { offset: number; name: string } | undefined {
  const src = text.slice(range[0], range[1]);
  if (src.includes('\\u') || src.includes('\\U')) {
    for (const { index, written, cp } of escapesIn(src)) {
      if (cp !== undefined && cp >= 0xd800 && cp <= 0xdfff) return { offset: range[0] + index, name: `surrogate escape ${written}` };
    }
  }
  const lone = LONE_SURROGATE.exec(value);
  return lone ? { offset: range[0], name: describeChar(lone[0].charCodeAt(0)) } : undefined;
}

/** At most this many lines of a file are reported with ACC110; one more diagnostic counts the others. */
export const MAX_FORBIDDEN_LINES = 10;

/**
 * What YAML 1.2 allows nowhere in a file, comments included (ACC110): C0
 * controls but tab, line feed and carriage return, DEL, C1 controls, U+FFFE,
 * U+FFFF and lone surrogates; and a carriage return no line feed follows,
 * a line break to a terminal but not to the yaml package.
 */
const YAML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]|\r(?!\n)/gu;

/** ACC110 for the whole text, before it is parsed: the first such character of each line, for at most MAX_FORBIDDEN_LINES lines. */
function forbiddenInFile(text: string, at: (line: number, column: number) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hint = 'delete it: such a character can hide the file or its line from review (git shows a file holding a NUL as "Binary files differ")';
  let line = 1;
  let lineStart = 0;
  let more = 0;
  let moreAt: Position | undefined;
  const re = new RegExp(YAML_FORBIDDEN);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    const where = at(line, m.index - lineStart + 1);
    if (out.length < MAX_FORBIDDEN_LINES) {
      const name = m[0] === '\r' ? 'carriage return U+000D with no line feed after it' : describeChar(m[0].codePointAt(0)!);
      out.push(diag('ACC110', where, `${name}: YAML allows it nowhere in a file, comments included`, hint));
    } else {
      more++;
      moreAt ??= where;
    }
    // One diagnostic a line: go on at the next line.
    const eol = text.indexOf('\n', m.index);
    if (eol < 0) break;
    re.lastIndex = eol + 1;
  }
  if (moreAt) out.push(diag('ACC110', moreAt, `${more} more line${more === 1 ? '' : 's'}, from this one on, hold characters YAML forbids`, hint));
  return out;
}

/**
 * The directives before the document other than "%YAML 1.2" (ACC112). The
 * yaml package reads a "%YAML 1.1" file with the 1.2 core schema the loader
 * asks for, so the directive would tell other readers something accessctl
 * does not do; %TAG defines tag shorthands, and access files use no tags.
 */
function refusedDirectives(text: string, at: (line: number, column: number) => Position): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let line = 1, start = 0; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const written = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    if (written.startsWith('%')) {
      if (!/^%YAML[ \t]+1\.2(?:[ \t]+(?:#.*)?)?$/.test(written)) {
        const name = /^%([^ \t]*)/.exec(written)![1];
        const why = name === 'YAML'
          ? 'access files are YAML 1.2, and accessctl reads them as 1.2 whatever the directive says'
          : name === 'TAG' ? 'access files use no tags' : 'YAML 1.2 knows only %YAML and %TAG';
        const shown = written.length > 60 ? `${written.slice(0, 59)}…` : written;
        out.push(diag('ACC112', at(line, 1), `YAML directive "${shown}" is not accepted: ${why}`, 'delete the line; "%YAML 1.2", or no directive, is ' +
            'accepted'));
      }
    } else if (!/^[ \t]*(?:#.*)?$/.test(written)) {
      break; // directives come before the document: its first line ends them
    }
    if (end < 0) break;
    start = end + 1;
  }
  return out;
}

/**
 * Keys of one mapping that the yaml package keeps apart (they are different
 * values) but that become the same text in the data, where the second one's
 * value replaces the first's (ACC113): 2024 and "2024", true and "true", an
 * alias and the key its anchor names. Keys that are lists or mappings are not
 * compared (the schemas refuse them where keys are names).
 */
function collidingKeys(map: YAMLMap, doc: Document): Array<{ first: Node; second: Node; text: string }> {
  if (map.items.length < 2) return [];
  const out: Array<{ first: Node; second: Node; text: string }> = [];
  const seen = new Map<string, Node>();
  for (const { key } of map.items) {
    if (!isNodeLike(key)) continue;
    const text = keyText(key as Node, doc);
    if (text === undefined) continue;
    const first = seen.get(text);
    if (first === undefined) seen.set(text, key as Node);
    // The same scalar value twice is the yaml package's DUPLICATE_KEY (ACC012).
    else if (!(isScalar(first) && isScalar(key) && first.value === key.value)) out.push({ first, second: key as Node, text });
  }
  return out;
}

/** The text the yaml package makes of a scalar key, or of an alias of one, in the data (as its toJS does). */
function keyText(key: Node, doc: Document): string | undefined {
  const node = isAlias(key) ? key.resolve(doc) : key;
  if (!isScalar(node)) return undefined;
  const value: unknown = node.value;
  if (value === null) return '';
  return typeof value === 'object' ? undefined : String(value);
}

/** A key as the file writes it, short enough for a message. */
function shownKey(text: string, key: Node): string {
  const written = text.slice(key.range![0], key.range![1]);
  return written.length > 40 ? `${written.slice(0, 39)}…` : written;
}

function isNodeLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'range' in v;
}

function keyString(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_k, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.line}:${d.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
