import type { Diagnostic } from '../diagnostics';
import { parseYaml } from '../load/parse';
import { checkPolicy } from './check';
import { lineColumn, scanJson } from './json';

/**
 * Checks one IAM policy JSON file: parse errors (IAM001) and every checker
 * finding, each at its line and column.
 */
export function checkPolicyFile(file: string, bytes: Uint8Array): Diagnostic[] {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  const scanned = scanJson(text);
  if (scanned.error) {
    const where = lineColumn(text, scanned.error.offset);
    return [{ code: 'IAM001', severity: 'error', file, line: where.line, column: where.column, message: `not valid JSON: ${scanned.error.message}` }];
  }
  const doc: unknown = JSON.parse(text);
  const duplicates: Diagnostic[] = scanned.duplicates.map((d) => ({
    code: 'IAM013', severity: 'error', file, ...lineColumn(text, d.offset),
    message: `"${d.key}" appears twice in ${d.pointer === '' ? 'the document' : `the object at ${d.pointer}`}: JSON keeps the last one, IAM refuses the policy`,
  }));
  // JSON is YAML: the YAML parser gives every value its position.
  const parsed = parseYaml({ file, rel: file, bytes: Buffer.from(text) }).file;
  return [...duplicates, ...checkPolicy(doc).map((f) => {
    const path = pointerToPath(f.path, doc);
    const at = parsed ? parsed.locate(path, f.code === 'IAM002' || f.code === 'IAM010' || f.code === 'IAM007' ? 'key' : 'value') : { line: 1, column: 1 };
    return { code: f.code, severity: f.severity, file, line: at.line, column: at.column, message: f.path ? `${f.message} (at ${f.path})` : f.message };
  })];
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
