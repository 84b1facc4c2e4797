import { createHash } from 'node:crypto';
import { diag, fileStart, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { classify, KNOWN_NAMES, KNOWN_PLACES } from '../load/classify';
import { parseYaml, type YamlFile } from '../load/parse';
import { parseMany, useWorker, type Parsed } from '../load/parse-parallel';
import { readAccessDir, type SourceFile } from '../load/source';
import type { FileKind } from '../schema';
import type { AccountsDocument } from '../schema/accounts';
import type { GroupDocument } from '../schema/group';
import type { ImportsDocument } from '../schema/imports';
import type { PeopleDocument } from '../schema/people';
import type { PermissionSetDocument } from '../schema/permission-set';
import type { PolicyFileDocument } from '../schema/policy';
import type { SettingsDocument } from '../schema/settings';
import { SchemaValidator } from '../schema/validate';
import { didYouMean } from '../util/suggest';
import { resolve, type Partial, type Typed } from './resolve';
import type { AccessModel, Group } from './types';

export interface LoadResult {
  /** Present only when there is no error. */
  readonly model?: AccessModel;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * With a model: loads one group file against it (parse, schema, resolve),
   * for history walks that re-resolve only what a commit changed.
   */
  readonly loadGroup?: (source: SourceFile) => { group?: Group; diagnostics: readonly Diagnostic[] };
}

export interface LoadOptions {
  /**
   * The compiled schemas, reused across many loads (audit loads every
   * revision). The commands pass one whose policy schema knows every rule
   * (src/policy-schema.ts); the default checks policy.yaml's shape only, since
   * the model does not depend on the rules.
   */
  readonly validator?: SchemaValidator;
  /**
   * Parsed and validated files by path and content: a file that did not change
   * between two loads is not parsed again (audit walks thousands of commits).
   */
  readonly cache?: ParseCache;
  /** Deep-freeze the model (default true); a history walk that builds thousands of models may skip it. */
  readonly freeze?: boolean;
}

export type ParseCache = Map<string, { readonly file?: YamlFile; readonly diagnostics: readonly Diagnostic[] }>;

/** The id git gives these bytes as a blob, so a file read from disk and the same file read from a commit share a cache entry. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}

function cacheKey(source: SourceFile): string {
  return `${source.file}\u0000${source.id ?? gitBlobId(source.bytes)}`;
}

/** Parses and schema-validates one file, through the cache when there is one. */
function parseAndValidate(
  source: SourceFile,
  kind: FileKind,
  validator: SchemaValidator,
  cache: ParseCache | undefined,
  preparsed?: ReadonlyMap<SourceFile, Parsed>,
): { file?: YamlFile; diagnostics: readonly Diagnostic[] } {
  const key = cache ? cacheKey(source) : '';
  const hit = cache?.get(key);
  if (hit) return hit;
  const parsed: Parsed = preparsed?.get(source) ?? parseYaml(source);
  const result = parsed.file ? {
    file: parsed.file,
    diagnostics: [...parsed.diagnostics, ...(parsed.validated ?? validator.validate(kind, parsed.file))],
  } : { diagnostics: parsed.diagnostics };
  cache?.set(key, result);
  return result;
}

/** load -> validate -> resolve for an access directory on disk. */
export function loadAccessDir(dir: string, cwd: string, options: LoadOptions = {}): LoadResult {
  const { sources, diagnostics } = readAccessDir(dir, cwd);
  if (diagnostics.some((d) => d.code === 'ACC005')) return { diagnostics };
  const result = loadAccessModel(sources, { ...options, dirLabel: dir });
  return { ...result, diagnostics: sortDiagnostics([...diagnostics, ...result.diagnostics]) };
}

/**
 * load -> validate -> resolve for files given as bytes (from disk, from a git
 * revision, or from a test). Never throws on bad input.
 */
export function loadAccessModel(sources: readonly SourceFile[], options: LoadOptions & { dirLabel?: string } = {}): LoadResult {
  const validator = options.validator ?? new SchemaValidator();
  const out: Diagnostic[] = [];
  const valid: { [K in FileKind]: Array<Typed<unknown>> } = {
    settings: [], accounts: [], people: [], policy: [], imports: [], 'permission-set': [], group: [],
  };
  const broken = {
    settings: false,
    people: false,
    accounts: { names: new Set<string>(), all: false } as Partial,
    permissionSets: { names: new Set<string>(), all: false } as Partial,
    groups: { names: new Set<string>(), all: false } as Partial,
  };
  const seenKinds = new Map<FileKind, string>();
  // Large orgs: parse what the cache does not hold with a worker thread's help.
  const toParse = sources.filter((s) => classify(s.rel) !== undefined && !options.cache?.has(cacheKey(s)));
  // Compiling the schemas takes about 0.2 s: with a parse worker, it happens while the worker is still parsing.
  const preparsed = useWorker(toParse) ? parseMany(toParse, () => validator.warm(), validator.policySchema) : undefined;

  for (const source of sources) {
    const kind = classify(source.rel);
    if (kind === undefined) {
      const first = source.rel.split('/')[0].replace(/\.ya?ml$/, '');
      out.push(diag(
        'ACC003',
        fileStart(source.file),
        `"${source.rel}" is not a file accessctl reads${didYouMean(first, KNOWN_NAMES)}`,
        `access files live at ${KNOWN_PLACES.join(', ')}`,
      ));
      continue;
    }
    if (kind === 'settings' || kind === 'people' || kind === 'policy' || ((kind === 'accounts' || kind === 'imports') && !source.rel.includes('/'))) {
      const other = seenKinds.get(kind);
      if (other !== undefined && kind !== 'accounts') {
        out.push(diag('ACC003', fileStart(source.file), `${kind} is already declared in ${other}`, 'keep one of the two files'));
        continue;
      }
      seenKinds.set(kind, source.file);
    }
    const { file, diagnostics: fileDiagnostics } = parseAndValidate(source, kind, validator, options.cache, preparsed);
    out.push(...fileDiagnostics);
    const errors = fileDiagnostics.filter((d) => d.severity === 'error');
    if (file && errors.length === 0) {
      valid[kind].push({ file, data: file.data });
      continue;
    }
    noteBroken(kind, file, broken);
  }

  const present = (k: FileKind): boolean => valid[k].length > 0 || sources.some((s) => classify(s.rel) === k);
  const label = options.dirLabel ?? 'access';
  if (!present('settings')) out.push(diag('ACC004', fileStart(`${label}/settings.yaml`), 'settings.yaml is missing'));
  if (!present('accounts')) out.push(diag('ACC004', fileStart(`${label}/accounts.yaml`), 'accounts.yaml is missing', 'declare accounts: [] if the org has ' +
      'no AWS accounts yet'));

  const resolved = resolve(
    {
      settings: valid.settings[0] as Typed<SettingsDocument> | undefined,
      accounts: valid.accounts as Array<Typed<AccountsDocument>>,
      people: valid.people[0] as Typed<PeopleDocument> | undefined,
      policy: valid.policy[0] as Typed<PolicyFileDocument> | undefined,
      imports: valid.imports as Array<Typed<ImportsDocument>>,
      permissionSets: valid['permission-set'] as Array<Typed<PermissionSetDocument>>,
      groups: valid.group as Array<Typed<GroupDocument>>,
      broken,
    },
    validator,
    { freeze: options.freeze ?? true },
  );
  const diagnostics = sortDiagnostics([...out, ...resolved.diagnostics]);
  const failed = diagnostics.some((d) => d.severity === 'error');
  if (failed || !resolved.model || !resolved.resolveGroup) return { diagnostics };
  const resolveGroup = resolved.resolveGroup;
  const loadGroup = (source: SourceFile): { group?: Group; diagnostics: readonly Diagnostic[] } => {
    const parsed = parseAndValidate(source, 'group', validator, options.cache);
    if (!parsed.file || parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
    const r = resolveGroup(parsed.file, parsed.file.data as GroupDocument);
    return { group: r.group, diagnostics: [...parsed.diagnostics, ...r.diagnostics] };
  };
  return { model: resolved.model, diagnostics, loadGroup };
}

/** Records what a file that failed to load or validate would have declared. */
function noteBroken(
  kind: FileKind,
  file: YamlFile | undefined,
  broken: { settings: boolean; people: boolean; accounts: Partial; permissionSets: Partial; groups: Partial },
): void {
  const data = file?.data as Record<string, unknown> | undefined;
  switch (kind) {
    case 'settings':
      broken.settings = true;
      return;
    case 'people':
      broken.people = true;
      return;
    case 'group':
      if (data && typeof data.name === 'string') broken.groups.names.add(data.name);
      else broken.groups.all = true;
      return;
    case 'permission-set':
      if (data && typeof data.name === 'string') broken.permissionSets.names.add(data.name);
      else broken.permissionSets.all = true;
      return;
    case 'accounts': {
      const list = data?.accounts;
      if (!Array.isArray(list)) {
        broken.accounts.all = true;
        return;
      }
      list.forEach((a, i) => {
        const entry = a as Record<string, unknown> | null;
        if (entry && typeof entry.name === 'string') broken.accounts.names.add(entry.name);
        if (entry && typeof entry.id === 'string') broken.accounts.names.add(entry.id);
        if (entry && typeof entry.id === 'number') broken.accounts.names.add(file?.sourceText(['accounts', i, 'id']) ?? String(entry.id));
        if (!entry || typeof entry.name !== 'string') broken.accounts.all = true;
      });
      return;
    }
    default:
      return;
  }
}
