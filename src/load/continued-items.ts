import { isScalar, isSeq, type Node } from 'yaml';
import { diag, type Diagnostic } from '../diagnostics';
import { Lines } from './layout';
import { shorten, type YamlSource } from './yaml-errors';

/**
 * A plain scalar whose text goes on over a line that starts with "- " is
 * almost always a list item indented further than the items before it, which
 * YAML reads as more words of the value above (ACC019): "a@example.com -
 * b@example.com". Reported at the '-' of that line, before the value is
 * checked as a login or a name; called for each node the parse visits.
 */
export function continuedListItem(key: unknown, node: Node, path: ReadonlyArray<unknown>, src: YamlSource): Diagnostic | undefined {
  if (key === 'key' || !isScalar(node) || node.type !== 'PLAIN' || !node.range) return undefined;
  const newline = src.text.indexOf('\n', node.range[0]);
  if (newline < 0 || newline >= node.range[1]) return undefined; // on one line: nothing goes on
  const written = src.text.slice(node.range[0], node.range[1]);
  const dash = /\n[ \t]*(-)(?:[ \t]|\r?$)/m.exec(written);
  if (!dash) return undefined;
  const offset = node.range[0] + dash.index + dash[0].indexOf('-');
  const lines = new Lines(src.text);
  const item = lines.lineAt(lines.lineOf(offset)).trim();
  const message = `list item indented too far: YAML reads "${shorten(item)}" as more of the value above it, "${shorten(String(node.value))}"`;
  return diag('ACC019', src.posOf(offset), message, continuedItemHint(path, src));
}

/** Where the item should go: in the list holding the value, or holding the mapping the value is in; or, for a key's value, below the key. */
function continuedItemHint(path: ReadonlyArray<unknown>, src: YamlSource): string {
  const quote = 'if it is one value, quote it';
  const list = [path[path.length - 1], path[path.length - 3]].find(isSeq);
  if (list?.range && !list.flow) {
    return `this line is indented more than the list it belongs to: align the '-' with the other items (column ${src.posOf(list.range[0]).column}); ${quote}`;
  }
  return `a list goes on the lines below its key: leave nothing after the key's ':' and start each item on its own line with "- ", the '-' of every item ` +
      `at the same column; ${quote}`;
}
