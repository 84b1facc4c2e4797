// The one strict reader of IAM policy documents: a policy file (accessctl
// policy-check), an inline policy written as a JSON string in a YAML file,
// and an inline policy written as YAML. Whatever it accepts reaches AWS as
// the reviewer read it; it refuses what a lenient reader would silently
// change: a key written twice (JSON keeps the last "Effect"), a value YAML
// typed as a number, boolean or null (012345678901 becomes 12345678901), a
// number that does not survive JSON (1.0 becomes 1), a character IAM
// refuses only at apply, and policy variables under Version 2008-10-17,
// which reads them as plain text.
//
// Duplicate keys of a policy written as YAML are refused by the YAML loader
// itself (uniqueKeys, ACC012) before this reader sees the document.

import type { Code } from '../codes';
import { diag, type Diagnostic, type Position } from '../diagnostics';
import type { DataPath, YamlFile } from '../load/parse';
import { iamCharacter, lineColumn, scanJson } from './json';

export interface PolicyRead {
  /** The document, when the text is JSON (even with other errors); the checker and the schema take it from here. */
  readonly doc?: unknown;
  readonly diagnostics: Diagnostic[];
}

export interface JsonReadOptions {
  /** The code of a syntax error: IAM001 for a policy file, ACC054 for an inline policy. */
  readonly syntaxCode?: Extract<Code, 'IAM001' | 'ACC054'>;
  /** What the text is, in the syntax error message ("inline policy"). */
  readonly subject?: string;
}

/** Reads a policy written as JSON text; `position` maps an offset in the text to the place a reviewer sees it. */
export function readPolicyJson(text: string, position: (offset: number) => Position, options: JsonReadOptions = {}): PolicyRead {
  const scanned = scanJson(text);
  if (scanned.error) {
    const message = `${options.subject !== undefined ? `${options.subject} is ` : ''}not valid JSON: ${scanned.error.message}`;
    return { diagnostics: [diag(options.syntaxCode ?? 'IAM001', position(scanned.error.offset), message)] };
  }
  const doc: unknown = JSON.parse(text);
  const out: Diagnostic[] = scanned.duplicates.map((d) =>
    diag(
      'IAM013',
      position(d.offset),
      `"${d.key}" appears twice in ${d.pointer === '' ? 'the document' : `the object at ${d.pointer}`}: JSON keeps the last one, IAM refuses the policy`,
      'keep one of the two keys',
    ),
  );
  for (const n of scanned.numbers) {
    out.push(diag(
      'IAM014',
      position(n.offset),
      `the number ${n.text} at ${n.pointer} reaches AWS as ${JSON.stringify(Number(n.text))}`,
      `write "${n.text}" in quotes`,
    ));
  }
  for (const f of scanned.foreign) out.push(foreignDiagnostic(f.codePoint, f.pointer, f.key === true, position(f.offset)));
  const variables = variablesUnder2008(doc);
  if (variables) out.push(versionDiagnostic(variables, position(scanned.offsets.get('/Version') ?? 0)));
  return { doc, diagnostics: out };
}

/** Reads a policy file's bytes: positions are the file's own lines and columns. */
export function readPolicyFile(file: string, text: string): PolicyRead {
  return readPolicyJson(text, (offset) => ({ file, ...lineColumn(text, offset) }));
}

/**
 * Reads a policy written as a JSON string at `path` of a YAML file: every
 * position is mapped back through the YAML scalar (a literal block, or a
 * quoted string) to the line and column of the YAML file, or, where the
 * scalar's text cannot be mapped, to the start of the string.
 */
export function readEmbeddedPolicyJson(file: YamlFile, path: DataPath, text: string, options: JsonReadOptions = {}): PolicyRead {
  return readPolicyJson(text, scalarPositions(file, path, text), options);
}

/** Reads a policy written as YAML at `path` of a YAML file (already free of duplicate keys). */
export function readPolicyYaml(file: YamlFile, path: DataPath): PolicyRead {
  const doc = getAt(file.data, path);
  const out: Diagnostic[] = [];
  const walk = (value: unknown, at: Array<string | number>): void => {
    const full = [...path, ...at];
    const pointer = toPointer(at);
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...at, i]));
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const bad = firstForeign(k);
        if (bad !== undefined) out.push(foreignDiagnostic(bad.codePoint, toPointer([...at, k]), true, file.locate([...full, k], 'key')));
        walk(v, [...at, k]);
      }
      return;
    }
    if (typeof value === 'string') {
      const bad = firstForeign(value);
      if (bad !== undefined) out.push(foreignDiagnostic(bad.codePoint, pointer, false, scalarPositions(file, full, value)(bad.index)));
      return;
    }
    // A number, boolean or null: YAML typed what IAM reads as a string.
    const source = file.sourceText(full)?.trim();
    out.push(typedDiagnostic(value, source, pointer, file.locate(full)));
  };
  walk(doc, []);
  const variables = variablesUnder2008(doc);
  if (variables) out.push(versionDiagnostic(variables, file.locate(isObject(doc) && doc.Version !== undefined ? [...path, 'Version'] : path)));
  return { doc, diagnostics: out };
}

function typedDiagnostic(value: unknown, source: string | undefined, pointer: string, at: Position): Diagnostic {
  const text = source === undefined || source === '' || source === '~' ? undefined : source;
  const json = JSON.stringify(value);
  const read = value === null ? 'null' : typeof value === 'number' ? `the number ${json}` : `the boolean ${json}`;
  const message = text !== undefined && typeof value === 'number' && json !== text
    ? `YAML reads ${text} at ${pointer} as ${read}: AWS would receive ${json}, not the text written`
    : `YAML reads ${text ?? 'an empty value'} at ${pointer} as ${read}, not as text`;
  return diag('IAM014', at, message, text !== undefined ? `write "${text}" in quotes` : 'write the value in quotes, or remove the key');
}

function foreignDiagnostic(codePoint: number, pointer: string, key: boolean, at: Position): Diagnostic {
  const u = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return diag(
    'IAM015',
    at,
    `${describeCodePoint(codePoint, u)} in the ${key ? 'key' : 'value'} at ${pointer}: IAM accepts only Latin-1 (U+0020-U+00FF, tab and line breaks) in a ` +
        `policy and refuses it at apply`,
    'write the text in Latin-1 characters (or ASCII)',
  );
}

function describeCodePoint(codePoint: number, u: string): string {
  const shown = codePoint >= 0x20 && codePoint !== 0x7f && !(codePoint >= 0x80 && codePoint <= 0x9f) ? ` "${String.fromCodePoint(codePoint)}"` : '';
  return `character ${u}${shown}`;
}

function versionDiagnostic(v: { variable: string; pointer: string; version?: string }, at: Position): Diagnostic {
  const head = v.version === undefined ? 'the policy has no Version, so IAM reads it as 2008-10-17, which treats' : 'Version "2008-10-17" treats';
  return diag('IAM016', at, `${head} the policy variable ${v.variable} at ${v.pointer} as literal text`, 'write Version: "2012-10-17"');
}

/** The first policy variable of a document that Version 2008-10-17 (or no Version) reads as plain text. */
function variablesUnder2008(doc: unknown): { variable: string; pointer: string; version?: string } | undefined {
  if (!isObject(doc)) return undefined;
  if (doc.Version !== undefined && doc.Version !== '2008-10-17') return undefined;
  const find = (v: unknown, at: Array<string | number>): { variable: string; pointer: string } | undefined => {
    if (typeof v === 'string') {
      const m = /\$\{[^}]*\}/.exec(v);
      return m ? { variable: m[0], pointer: toPointer(at) } : undefined;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const r = find(v[i], [...at, i]);
        if (r) return r;
      }
      return undefined;
    }
    if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const r = find(k, [...at, k]) ?? find(x, [...at, k]);
        if (r) return r;
      }
    }
    return undefined;
  };
  const found = find(doc.Statement, ['Statement']);
  return found && (doc.Version === undefined ? found : { ...found, version: String(doc.Version) });
}

function firstForeign(s: string): { index: number; codePoint: number } | undefined {
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (!iamCharacter(cp)) return { index: i, codePoint: cp };
  }
  return undefined;
}

/**
 * Positions inside the string value of the scalar at `path`: offset k of the
 * value maps to the line and column where the YAML file writes it.
 */
function scalarPositions(file: YamlFile, path: DataPath, value: string): (offset: number) => Position {
  const start = file.locate(path);
  const raw = file.sourceText(path);
  // Built on the first position asked for: a policy without a finding never needs it.
  let map: number[] | undefined | null = null;
  return (offset) => {
    if (map === null) map = raw === undefined ? undefined : scalarSourceMap(raw, value);
    if (!map) return start;
    const r = map[Math.min(offset, map.length - 1)]!;
    const before = raw!.slice(0, r);
    const nl = before.lastIndexOf('\n');
    if (nl < 0) return { file: start.file, line: start.line, column: start.column + r };
    return { file: start.file, line: start.line + before.split('\n').length - 1, column: r - nl };
  };
}

/**
 * For each UTF-16 unit of a scalar's value (and one past its end), the index
 * in the scalar's source text where it is written; undefined when the text is
 * a form this does not follow (a folded block, an explicit indentation
 * indicator) or when following it does not give the value back.
 */
export function scalarSourceMap(raw: string, value: string): number[] | undefined {
  const built = raw.startsWith('|') ? literalBlock(raw) : raw.startsWith('>') ? undefined : flowScalar(raw);
  if (!built || built.text.slice(0, value.length) !== value) return undefined;
  return [...built.map.slice(0, value.length), built.map[value.length] ?? raw.length];
}

/** A literal block scalar (|, |-, |+) with an indentation found from its first line. */
function literalBlock(raw: string): { text: string; map: number[] } | undefined {
  const header = raw.indexOf('\n');
  if (header < 0 || /[1-9]/.test(raw.slice(0, header).replace(/#.*$/, ''))) return undefined;
  let text = '';
  const map: number[] = [];
  let indent: number | undefined;
  let at = header + 1;
  while (at < raw.length) {
    const end = raw.indexOf('\n', at) < 0 ? raw.length : raw.indexOf('\n', at);
    const line = raw.slice(at, end);
    if (indent === undefined && line.trim() !== '') indent = line.length - line.trimStart().length;
    const from = Math.min(indent ?? line.length, line.length);
    for (let k = from; k < line.length; k++) {
      text += line[k];
      map.push(at + k);
    }
    text += '\n';
    map.push(end);
    at = end + 1;
  }
  map.push(raw.length);
  return { text, map };
}

const YAML_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

/** A plain, single-quoted or double-quoted scalar, with YAML's line folding and escapes. */
function flowScalar(raw: string): { text: string; map: number[] } | undefined {
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  const end = quote ? raw.lastIndexOf(quote) : raw.length;
  if (quote && end <= 0) return undefined;
  let text = '';
  const map: number[] = [];
  /** Whether each character came from an escape (escaped white space is not trimmed at a line break). */
  const hard: boolean[] = [];
  const push = (s: string, at: number, escaped: boolean): void => {
    for (const unit of s.split('')) {
      text += unit;
      map.push(at);
      hard.push(escaped);
    }
  };
  let i = quote ? 1 : 0;
  while (i < end) {
    const c = raw[i]!;
    if (c === '\n' || c === '\r') {
      while (text.length > 0 && !hard[hard.length - 1] && (text.endsWith(' ') || text.endsWith('\t'))) {
        text = text.slice(0, -1);
        map.pop();
        hard.pop();
      }
      let breaks = 0;
      const at = i;
      while (i < end && /[ \t\r\n]/.test(raw[i]!)) {
        if (raw[i] === '\n') breaks++;
        i++;
      }
      push(breaks <= 1 ? ' ' : '\n'.repeat(breaks - 1), at, false);
      continue;
    }
    if (quote === "'" && c === "'" && raw[i + 1] === "'") {
      push("'", i, true);
      i += 2;
      continue;
    }
    if (quote === '"' && c === '\\') {
      const e = raw[i + 1];
      if (e === '\n' || e === '\r') {
        i++;
        while (i < end && /[ \t\r\n]/.test(raw[i]!)) i++;
        continue;
      }
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex > 0) {
        const digits = raw.slice(i + 2, i + 2 + hex);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) return undefined;
        push(String.fromCodePoint(parseInt(digits, 16)), i, true);
        i += 2 + hex;
        continue;
      }
      if (e === undefined || YAML_ESCAPES[e] === undefined) return undefined;
      push(YAML_ESCAPES[e]!, i, true);
      i += 2;
      continue;
    }
    push(c, i, false);
    i++;
  }
  map.push(end);
  return { text, map };
}

function getAt(data: unknown, path: DataPath): unknown {
  let cur = data;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

function toPointer(path: ReadonlyArray<string | number>): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
