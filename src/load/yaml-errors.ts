import { isCollection, isScalar, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Code } from '../codes';
import { diag, type Diagnostic, type Position } from '../diagnostics';
import { Lines } from './layout';

/**
 * Parser errors in plain words: where the line that went wrong starts, and
 * how its indentation differs from the lines above it (ACC010, ACC011). The yaml package reports the offset where it gave
 * up, often the indentation at column 1 of a line or the line before the one
 * that is wrong, with a message about its grammar ("Nested mappings are not
 * allowed in compact mappings"); this step finds the line a person has to
 * change and says what to do with it.
 */

/** The codes of the yaml package's errors that have a catalogue code of their own; the others are ACC010. */
const YAML_ERROR_CODES: Readonly<Record<string, Code>> = {
  DUPLICATE_KEY: 'ACC012',
  TAB_AS_INDENT: 'ACC011',
  MULTIPLE_DOCS: 'ACC015',
  TAG_RESOLVE_FAILED: 'ACC016',
  BAD_ALIAS: 'ACC014',
};

/** What these steps read: the text, the parsed document, and offsets as positions. */
export interface YamlSource {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly posOf: (offset: number) => Position;
}

/**
 * The diagnostics of the yaml package's errors and warnings. An error at the
 * offset of one before it follows from that one (the parser reports the same
 * token once as each rule it breaks) and is left out.
 */
export function yamlErrorDiagnostics(errors: readonly YAMLError[], src: YamlSource): Diagnostic[] {
  const seen = new Set<number>();
  const lines = new Lines(src.text);
  return errors.filter((e) => !seen.has(e.pos[0]) && seen.add(e.pos[0])).map((e) => yamlErrorDiagnostic(e, src, lines));
}

/** The diagnostic of one error of the yaml package: its code, the offending token's position, a message and a hint. */
function yamlErrorDiagnostic(e: YAMLError, src: YamlSource, lines: Lines): Diagnostic {
  const code = YAML_ERROR_CODES[e.code] ?? 'ACC010';
  const parserMessage = firstLine(e.message);
  const opener = unclosedOpener(e, src);
  if (opener) return diag(code, src.posOf(opener.offset), opener.message, opener.hint);

  // "Nested mappings are not allowed in compact mappings": the parser stops at the value of the line above the one that is wrong.
  const wrongLine = e.code === 'BLOCK_AS_IMPLICIT_KEY' && /compact mappings/.test(e.message)
    ? lines.nextContent(lines.lineOf(e.pos[0]))
    : lines.lineOf(e.pos[0]);
  const moved = wrongLine !== undefined && wrongLine !== lines.lineOf(e.pos[0]);
  const offset = moved ? lines.tokenStart(wrongLine) : skipSpaces(src.text, e.pos[0]);
  const at = src.posOf(offset);

  // Only a line that goes wrong at its first character has an indentation story.
  if (INDENT_ERRORS.has(e.code) && wrongLine !== undefined && offset === lines.tokenStart(wrongLine)) {
    const story = indentationStory(lines, wrongLine);
    if (story) return diag(code, at, story.message, story.hint);
  }
  const shape = wrongLine === undefined ? undefined : lines.shape(wrongLine);
  if (e.code === 'MULTILINE_IMPLICIT_KEY' && shape && shape.key === undefined && !shape.item) {
    const written = lines.lineAt(wrongLine!).trim();
    const example = written.includes(':') ? written.replace(/:\s*/, ': ') : written.replace(/\s+/, ': ');
    return diag(
      code,
      at,
      'line without ": " after its key: YAML reads it and the lines after it as one long key',
      `write the key, a ":" and a space, then the value, such as "${shorten(example)}"`,
    );
  }
  const hint = genericHint(e, code);
  return hint === undefined ? diag(code, at, parserMessage) : diag(code, at, parserMessage, hint);
}

/** yaml error codes whose cause is most often a line indented more or less than the lines it belongs with. */
const INDENT_ERRORS: ReadonlySet<string> = new Set(['BAD_INDENT', 'MISSING_CHAR', 'UNEXPECTED_TOKEN', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

/** A message and a hint that say how the line is indented against the lines above it, when the layout tells. */
function indentationStory(lines: Lines, line: number): { message: string; hint: string } | undefined {
  const l = lines.shape(line);
  const chain = lines.enclosing(line);
  const above = chain[0];
  if (!l || !above) return undefined;
  const col = (c: number): string => `column ${c + 1}`;

  if (/^-[^\s-]/.test(lines.lineAt(line).slice(l.indent))) {
    return { message: `list item without a space after its '-'`, hint: `write "- " (a '-' and a space) before the item` };
  }
  const block = chain.find((s) => s.key !== undefined && s.inline && /^[|>][-+0-9]*\s*(?:#.*)?$/.test(lines.valueOf(s)));
  const text = block && block.line < line ? lines.nextContent(block.line) : undefined;
  if (block && text !== undefined && text < line && l.indent > block.indent) {
    const first = lines.shape(text)!.indent;
    return {
      message: `line of the text of "${block.key}" indented less than its first line`,
      hint: `indent every line of the text after ${lines.valueOf(block)[0]} at least as much as its first line (${col(first)}); a line that starts a new ` +
          `key goes at ${col(block.indent)}, like "${block.key}"`,
    };
  }
  if (l.item) {
    const list = chain.find((s) => s.item);
    if (!list || list.indent === l.indent) return undefined;
    const way = l.indent > list.indent ? 'more' : 'less';
    return {
      message: `list item indented ${way} than the item above it`,
      hint: `this line is indented ${way} than the list it belongs to: align the '-' with the other items (${col(list.indent)})`,
    };
  }

  if (above.key !== undefined && above.inline && l.indent > above.content) {
    return {
      message: `line indented more than the key "${above.key}" above it`,
      hint: `line it up with "${above.key}" (${col(above.content)}): only a key with nothing after its ':' takes the more indented lines below it as its value`,
    };
  }
  const item = chain.find((s) => s.item && s.key !== undefined && s.indent < l.indent && l.indent < s.content);
  if (item) {
    return {
      message: `line indented less than the key "${item.key}" of the list item above it`,
      hint: `line it up with "${item.key}" (${col(item.content)}) to add it to that item, or start it with "- " to begin a new item`,
    };
  }
  const dash = chain.find((s) => s.item && s.indent === l.indent);
  if (dash) {
    const owner = chain.find((s) => s.indent < dash.indent && s.key !== undefined);
    const outer = owner ? `; a key of the mapping that holds the list goes at ${col(owner.content)}, like "${owner.key}"` : '';
    const inItem = dash.key !== undefined
      ? `line it up with "${dash.key}" (${col(dash.content)}) to add it to the list item above it`
      : 'a list holds items, each starting with "- "';
    return { message: `key lined up with the '-' of the list above it`, hint: `${inItem}${outer}` };
  }
  const keys = chain.filter((s) => s.key !== undefined);
  if (keys.length > 0 && !keys.some((s) => s.content === l.indent)) {
    const named = keys.slice(0, 3).map((s) => `"${s.key}" (${col(s.content)})`);
    return {
      message: `line not lined up with the keys above it (it starts at ${col(l.indent)})`,
      hint: `line it up with the key of the mapping it belongs to: ${named.join(' or ')}`,
    };
  }
  return undefined;
}

/** An unclosed quote, [ or { that the parser reports where it gave up: the diagnostic goes to the opening character. */
function unclosedOpener(e: YAMLError, src: YamlSource): { offset: number; message: string; hint: string } | undefined {
  const quote = /^Missing closing (["'])quote/.exec(e.message);
  const flow = /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])/.exec(e.message);
  if (!quote && !flow) return undefined;
  let found: Node | undefined;
  visit(src.doc, {
    Node(_key, node) {
      if (!node.range || node.range[1] !== e.pos[0]) return undefined;
      const written = src.text[node.range[0]];
      if ((quote && isScalar(node) && written === quote[1]) || (flow && isCollection(node) && node.flow === true)) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!found?.range) return undefined;
  if (quote) {
    return {
      offset: found.range[0],
      message: `the ${quote[1]} that starts this value is never closed`,
      hint: `add the closing ${quote[1]} where the value ends: until then the value runs on over the lines below`,
    };
  }
  const [open, close] = flow![2] === ']' ? ['[', ']'] : ['{', '}'];
  return {
    offset: found.range[0],
    message: `the ${open} that starts this ${flow![1] === 'sequence' ? 'list' : 'mapping'} is never closed`,
    hint: `add the ${close} after its last ${close === ']' ? 'item' : 'entry'}; a ${open} … ${close} written over several lines indents every line after ` +
        `the first more than its key`,
  };
}

/**
 * A hint for a parser error that has no indentation story; none for the
 * errors with a catalogue code of their own (ACC012 and the others), whose
 * documentation says what to do.
 */
function genericHint(e: YAMLError, code: Code): string | undefined {
  if (code === 'ACC011') return 'indent with spaces: YAML does not allow tabs at the start of a line';
  if (code !== 'ACC010') return undefined;
  if (/flow (sequence|map|collection)/i.test(e.message)) return 'in [ … ] and { … }, separate the items with one ","; quote a value that holds ",", "[", ' +
      '"]", "{" or "}"';
  if (e.code === 'BAD_DQ_ESCAPE') return 'in double quotes a backslash starts an escape: write \\\\ for a backslash, or quote the value with single quotes';
  if (e.code === 'BAD_SCALAR_START') return 'quote the value: a value that starts with this character must be in quotes';
  return "check this line against the lines above it: the items of one list start with '-' at the same column, the keys of one mapping at the same column, " +
      "and a key is followed by ': '";
}

function skipSpaces(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ') i++;
  return text[i] === '\n' || text[i] === '\r' || i >= text.length ? offset : i;
}

/** A text short enough for a message. */
export function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
