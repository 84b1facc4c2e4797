import type { Diagnostic } from '../diagnostics';
import { parseYaml } from '../load/parse';
import { checkPolicy } from './check';
import { readPolicyFile } from './read';

/**
 * Checks one IAM policy JSON file: what the strict reader refuses (IAM001,
 * IAM013-IAM016) and every checker finding, each at its line and column.
 */
export function checkPolicyFile(file: string, bytes: Uint8Array): Diagnostic[] {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  const read = readPolicyFile(file, text);
  if (read.doc === undefined) return read.diagnostics;
  const doc = read.doc;
  // JSON is YAML: the YAML parser gives every value its position.
  const parsed = parseYaml({ file, rel: file, bytes: Buffer.from(text) }).file;
  return [...read.diagnostics, ...checkPolicy(doc).map((f) => {
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
