import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { diag, type Diagnostic } from '../diagnostics';
import type { DataPath, YamlFile } from '../load/parse';
import { didYouMean } from '../util/suggest';
import { isValidExpiry } from '../util/dates';
import { FILE_KINDS, fileSchemas, type FileKind } from './index';
import { policyDocumentSchema } from './permission-set';
import { OPEN_POLICY_SCHEMA } from './policy';

type AnySchema = Record<string, unknown>;

/** Keys that name a secret: refused with ACC027 wherever a schema does not allow them. */
const SECRET_KEY = /^(api[-_]?)?(token|secret|password|passwd|private[-_]?key|client[-_]?secret|access[-_]?token|api[-_]?key)s?$/i;

/**
 * Compiled validators for every file kind, plus the IAM policy document.
 * policy.yaml is validated against the schema given: the commands give the
 * one composed from the rule registries (src/policy-schema.ts); without one,
 * OPEN_POLICY_SCHEMA checks its shape but not rule ids or options.
 */
export class SchemaValidator {
  private compiled?: { readonly byKind: Map<FileKind, ValidateFunction>; readonly policyDocument: ValidateFunction };
  private readonly schemas: Readonly<Record<FileKind, object>>;

  constructor(readonly policySchema: object = OPEN_POLICY_SCHEMA) {
    this.schemas = fileSchemas(policySchema);
  }

  /**
   * Compiles every schema (about 0.2 s), once: on first use, or earlier
   * through warm() when there is time to spare (the loader calls it while a
   * parse worker is busy).
   */
  warm(): { readonly byKind: Map<FileKind, ValidateFunction>; readonly policyDocument: ValidateFunction } {
    if (this.compiled) return this.compiled;
    // verbose: errors carry the failing schema and data, which the messages use.
    // $data stays off: schema keywords must never read values from the document.
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, $data: false, allowUnionTypes: true });
    addFormats(ajv, ['date', 'uri']);
    ajv.addFormat('expiry', { type: 'string', validate: isValidExpiry });
    const byKind = new Map<FileKind, ValidateFunction>();
    for (const kind of FILE_KINDS) byKind.set(kind, ajv.compile(this.schemas[kind]));
    this.compiled = { byKind, policyDocument: ajv.compile(policyDocumentSchema) };
    return this.compiled;
  }

  /** Diagnostics for a file of the given kind; empty when it is valid. */
  validate(kind: FileKind, file: YamlFile): Diagnostic[] {
    const fn = this.warm().byKind.get(kind)!;
    if (fn(file.data)) return [];
    return mapErrors(fn.errors ?? [], file, this.schemas[kind] as AnySchema, []);
  }

  /**
   * Diagnostics for an IAM policy document found at `at` in `file` (used for
   * inline policies written as JSON strings, whose inner positions are unknown:
   * every diagnostic points at the string).
   */
  validatePolicyDocument(doc: unknown, file: YamlFile, at: DataPath): Diagnostic[] {
    const fn = this.warm().policyDocument;
    if (fn(doc)) return [];
    return mapErrors(fn.errors ?? [], file, policyDocumentSchema as unknown as AnySchema, at, 'inline policy');
  }
}

function mapErrors(errors: ErrorObject[], file: YamlFile, root: AnySchema, base: DataPath, inside?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // "if" and "propertyNames" only wrap the errors that explain them.
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    const path = toPath(e.instancePath, file.data, base.length === 0);
    const d = mapError(e, file, root, inside === undefined ? path : base, inside);
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** One Ajv error and what every message about it needs: passed to each keyword's step of mapError. */
interface ErrorContext {
  readonly e: ErrorObject;
  readonly file: YamlFile;
  readonly root: AnySchema;
  readonly path: DataPath;
  readonly inside: string | undefined;
  /** The schema the error is about (its parent schema). */
  readonly schema: AnySchema;
  readonly label: string;
  /** "inline policy at /Statement/0: " inside an embedded document, else "". */
  readonly prefix: string;
  readonly value: unknown;
  readonly description: string | undefined;
}

function mapError(e: ErrorObject, file: YamlFile, root: AnySchema, path: DataPath, inside?: string): Diagnostic {
  const schema = (e.parentSchema ?? {}) as AnySchema;
  const c: ErrorContext = {
    e,
    file,
    root,
    path,
    inside,
    schema,
    label: labelOf(schema, path),
    prefix: inside === undefined ? '' : `${inside}${e.instancePath ? ` at ${e.instancePath}` : ''}: `,
    value: e.data,
    description: typeof schema.description === 'string' ? schema.description : undefined,
  };
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKeyError(c);
    case 'required':
      return requiredError(c);
    case 'type':
      return typeError(c);
    case 'format':
      return formatError(c);
    case 'pattern':
      return patternError(c);
    case 'enum':
    case 'const':
      return enumError(c);
    case 'uniqueItems':
      return uniqueItemsError(c);
    case 'minProperties':
      return minPropertiesError(c);
    default:
      return diag('ACC023', file.locate(path), `${c.prefix}${c.label} ${rephrase(e.message ?? 'is invalid')}`, c.description);
  }
}

/** A key the schema does not allow: ACC027 when it looks like a secret, else ACC020. */
function unknownKeyError({ e, file, path, inside, schema, label, prefix }: ErrorContext): Diagnostic {
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const allowed = Object.keys((schema.properties ?? {}) as AnySchema);
  const where = file.locate([...path, key], 'key');
  if (SECRET_KEY.test(key)) {
    const scim = path.includes('scim');
    return diag(
      'ACC027',
      inside === undefined ? where : file.locate(path),
      `${prefix}"${key}" in ${label} looks like a secret, and files under access/ are committed and kept in git history`,
      scim
        ? 'remove it and rotate the token: Terraform reads the SCIM token from the CI secret OKTA_AWS_SCIM_TOKEN ' +
            '(TF_VAR_okta_aws_scim_token), see docs/ci.md'
        : 'remove it and rotate the secret: secrets reach Terraform only from CI secrets (docs/ci.md)',
    );
  }
  return diag(
    'ACC020',
    inside === undefined ? where : file.locate(path),
    `${prefix}unknown key "${key}" in ${label}${didYouMean(key, allowed)}`,
    allowed.length > 0 ? `allowed keys: ${allowed.join(', ')}` : undefined,
  );
}

function requiredError({ e, file, path, schema, label, prefix }: ErrorContext): Diagnostic {
  const key = (e.params as { missingProperty: string }).missingProperty;
  const property = ((schema.properties ?? {}) as AnySchema)[key] as AnySchema | undefined;
  const hint = property && typeof property.description === 'string' ? `${key}: ${property.description}` : undefined;
  return diag('ACC022', file.locate(path), `${prefix}${label} is missing the required key "${key}"`, hint);
}

/** A value of the wrong type: a number where a string belongs (an unquoted account id) has its own words. */
function typeError({ e, file, root, path, schema, label, prefix, value, description }: ErrorContext): Diagnostic {
  const expected = expectedTypes(e, root);
  const numberForString = typeof value === 'number' && expected.includes('string');
  if (numberForString) {
    const text = file.sourceText(path) ?? String(value);
    if (/^[0-9]{12}$/.test(text) || (isAccountIdSchema(schema) && /^[0-9]+$/.test(text))) {
      return diag(
        'ACC025',
        file.locate(path),
        `${prefix}account id ${text} must be a quoted string`,
        `write "${text}" in quotes: unquoted, YAML reads a number and drops leading zeros`,
      );
    }
    return diag('ACC021', file.locate(path), `${prefix}${label} must be ${typeWords(expected)}, found the number ${text}`, `quote it: "${text}"`);
  }
  return diag('ACC021', file.locate(path), `${prefix}${label} must be ${typeWords(expected)}, found ${describeType(value)}`, description);
}

function formatError({ e, file, path, label, prefix, value, description }: ErrorContext): Diagnostic {
  const format = (e.params as { format: string }).format;
  if (format === 'date') {
    return diag('ACC024', file.locate(path), `${prefix}invalid date ${show(value)} for ${label}`, 'write a real calendar date as YYYY-MM-DD');
  }
  if (format === 'expiry') {
    return diag(
      'ACC024',
      file.locate(path),
      `${prefix}invalid date ${show(value)} for ${label}`,
      'write the last day of access as YYYY-MM-DD, or the UTC time it ends as YYYY-MM-DDTHH:MMZ',
    );
  }
  return diag('ACC023', file.locate(path), `${prefix}invalid ${label} ${show(value)}`, description);
}

/** A value, or a key (propertyNames), that does not match its pattern. */
function patternError({ e, file, path, inside, label, prefix, value, description }: ErrorContext): Diagnostic {
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const where = inside === undefined ? file.locate([...path, propertyName], 'key') : file.locate(path);
    return diag('ACC023', where, `${prefix}invalid ${label} ${show(propertyName)}`, description);
  }
  return diag('ACC023', file.locate(path), `${prefix}invalid ${label} ${show(value)}`, description);
}

function enumError({ e, file, path, schema, label, prefix, value }: ErrorContext): Diagnostic {
  const allowed = (e.keyword === 'enum' ? (schema.enum as unknown[]) : [schema.const]).map(String);
  const word = typeof value === 'string' ? didYouMean(value, allowed) : '';
  return diag('ACC023', file.locate(path), `${prefix}invalid ${label} ${show(value)}${word}`, `one of: ${allowed.join(', ')}`);
}

function uniqueItemsError({ e, file, path, inside, label, prefix, value }: ErrorContext): Diagnostic {
  const { i, j } = e.params as { i: number; j: number };
  const later = Math.max(i, j);
  const item = Array.isArray(value) ? value[later] : undefined;
  return diag('ACC026', file.locate(inside === undefined ? [...path, later] : path), `${prefix}${show(item)} appears more than once in ${label}`);
}

function minPropertiesError({ e, file, path, schema, label, prefix, description }: ErrorContext): Diagnostic {
  if (schema.title === 'account selector') {
    return diag(
      'ACC022',
      file.locate(path),
      `${prefix}an account selector needs ou and/or tags`,
      'write accounts: [name, …] or accounts: {ou: Workloads/*, tags: {env: prod}}',
    );
  }
  return diag('ACC023', file.locate(path), `${prefix}${label} ${e.message ?? 'is invalid'}`, description);
}

/** "/aws/0/accounts" -> ["aws", 0, "accounts"], numbers where the data holds a list. */
function toPath(pointer: string, data: unknown, resolveAgainstData: boolean): DataPath {
  if (pointer === '') return [];
  const out: Array<string | number> = [];
  let cur: unknown = resolveAgainstData ? data : undefined;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^[0-9]+$/.test(seg)) {
      const n = Number(seg);
      out.push(n);
      cur = cur[n];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function labelOf(schema: AnySchema, path: DataPath): string {
  if (typeof schema.title === 'string') return schema.title;
  const last = [...path].reverse().find((s) => typeof s === 'string');
  return last === undefined ? 'the document' : `"${String(last)}"`;
}

/** The types a value could have had: for the else branch of if/then/else, the if-type too. */
function expectedTypes(e: ErrorObject, root: AnySchema): string[] {
  const t = (e.params as { type: string | string[] }).type;
  const own = Array.isArray(t) ? t : String(t).split(',');
  const m = /^#(.*)\/else\/type$/.exec(e.schemaPath);
  if (m) {
    const ifSchema = pointerGet(root, `${m[1]}/if`) as AnySchema | undefined;
    if (ifSchema && typeof ifSchema.type === 'string') return [ifSchema.type, ...own];
  }
  return own;
}

function pointerGet(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function isAccountIdSchema(schema: AnySchema): boolean {
  return schema.title === 'AWS account id' || schema.title === 'account name or id';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typeWords(types: string[]): string {
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return `the string ${show(v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return `${v}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof v;
  }
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function rephrase(message: string): string {
  return message.replace(/^must NOT/, 'must not');
}
