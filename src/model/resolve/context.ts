/**
 * What every resolve step shares, and the small helpers they all use. The
 * steps run in the order `resolve` (src/model/resolve.ts) calls them, and
 * each appends its diagnostics to `out`: that order is part of the output.
 */
import { diag, cmp, type Diagnostic, type Position } from '../../diagnostics';
import type { YamlFile } from '../../load/parse';
import type { SchemaValidator } from '../../schema/validate';
import type { Partial, ResolveInput } from './input';

export interface ResolveContext {
  /** The files that passed their schema, and which ones did not. */
  readonly input: ResolveInput;
  /** Validates the embedded JSON of inline policies. */
  readonly validator: SchemaValidator;
  /** Diagnostics in the order the steps find them. */
  readonly out: Diagnostic[];
}

/** The position of `path` in `file`: its value, or its key. */
export function at(file: YamlFile, path: ReadonlyArray<string | number>, target: 'key' | 'value' = 'value'): Position {
  return file.locate(path, target);
}

/** "file:line", how a message points at the other place a name is declared. */
export function where(p: Position): string {
  return `${p.file}:${p.line}`;
}

/** Files in path order, so that "already declared at" points at the same file whatever the load order. */
export function sortByFile<T extends { file: YamlFile }>(list: ReadonlyArray<T>): T[] {
  return [...list].sort((a, b) => cmp(a.file.file, b.file.file));
}

/** Whether `name` may be declared in a file that failed validation (so a reference to it is not reported). */
export function shadowed(p: Partial, name: string): boolean {
  return p.all || p.names.has(name);
}

/** Warns when a permission set or group file is not named after what it declares (ACC037). */
export function checkFileName(file: YamlFile, name: string, what: string, out: Diagnostic[]): void {
  const base = file.rel.split('/').pop()!.replace(/\.ya?ml$/, '');
  if (base !== name) {
    out.push(diag('ACC037', file.locate(['name']), `${what} "${name}" is declared in ${base}.yaml`, `rename the file to ${name}.yaml`));
  }
}
