import type { Diagnostic } from '../diagnostics';
import { parseYaml } from '../load/parse';
import { checkPolicy } from './check';

/**
 * Checks one IAM policy JSON file: parse errors (IAM001) and every checker
 * finding, each at its line and column.
 */
export function checkPolicyFile(file: string, bytes: Uint8Array): Diagnostic[] {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // JSON is YAML: the YAML parser knows where the syntax breaks.
    const where = parseYaml({ file, rel: file, bytes: Buffer.from(text) }).diagnostics[0] ?? { line: 1, column: 1 };
    const reason = (e as Error).message.split('\n')[0].replace(/, .*$/, '');
    return [{ code: 'IAM001', severity: 'error', file, line: where.line, column: where.column, message: `not valid JSON: ${reason}` }];
  }
  // JSON is YAML: the YAML parser gives every value its position.
  const parsed = parseYaml({ file, rel: file, bytes: Buffer.from(text) }).file;
  return checkPolicy(doc).map((f) => {
    const path = pointerToPath(f.path, doc);
    const at = parsed ? parsed.locate(path, f.code === 'IAM002' || f.code === 'IAM010' || f.code === 'IAM007' ? 'key' : 'value') : { line: 1, column: 1 };
    return { code: f.code, severity: f.severity, file, line: at.line, column: at.column, message: f.path ? `${f.message} (at ${f.path})` : f.message };
  });
}

function pointerToPath(pointer: string, doc: unknown): Array<string | number> {
  if (pointer === '') return [];
  const out: Array<string | number> = [];
  let cur = doc;
  for (const seg of pointer.slice(1).split('/')) {
    if (Array.isArray(cur) && /^[0-9]+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}
