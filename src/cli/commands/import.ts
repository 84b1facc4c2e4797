import * as fs from 'node:fs';
import { instantOf } from '../../util/dates';
import * as path from 'node:path';
import { checkSources, type CheckResult } from '../../check';
import { countBySeverity, type Diagnostic, diag, hasErrors } from '../../diagnostics';
import { buildImport, type ImportResult } from '../../import/build';
import { ExportError } from '../../import/exports';
import { PolicyExportError } from '../../iam/exports';
import { displayPath, MAX_FILE_BYTES, readAccessDir, type SourceFile } from '../../load/source';
import { loadAccessModel } from '../../model/load';
import type { Settings } from '../../model/types';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { buildLayout } from '../../synth/layout';
import { replaceDirAtomic, writeFilesAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';
import { EXAMPLE_ORG, holdsWorkingDir, isExampleSettings, SKELETON_FILES } from './init';

export const importCommand: Command = {
  name: 'import',
  summary: 'bootstrap access/ from Okta and AWS exports, with import blocks so the first apply adopts what exists',
  usage: `accessctl import --okta DIR --aws DIR [--instance ARN] [--out DIR] [--force | --fresh]

Reads the JSON exports docs/import.md lists (Okta groups, their users and
owners, apps and their groups; AWS IAM Identity Center permission sets and
their policies, account assignments, Identity Store groups, Organizations
accounts and OUs) and writes accounts.yaml, people.yaml, one file per
permission set and per group, and imports.yaml: one Terraform import block per
existing object, so the first plan adopts them and destroys nothing. --out
(default: access) must hold settings.yaml already (accessctl init writes one
to fill in); files the import writes must not exist unless --force, except
the empty ones init writes. --fresh keeps settings.yaml alone and replaces
everything else in --out (the example org, an earlier import) with the import
and the default policy.yaml, all or nothing. Everything is checked like
validate before anything is written. What cannot be expressed is listed, never dropped
silently, and access the first apply would remove is listed apart.
--instance picks the IAM Identity Center instance when aws/instances.json
lists several. When the AWS export holds iam/ACCOUNT.json (each account's
customer managed policies), the policies a permission set references that an
account it is assigned to lacks are listed: AWS cannot provision it there.`,
  async run(args, io) {
    const options = parseOptions(args, io);
    const target = readTarget(options, io);
    if (target === undefined) return EXIT_FINDINGS;
    const run: ImportRun = { ...options, ...target, io };
    const result = buildFromExports(run);
    if (result === undefined || !mayWrite(run, result)) return EXIT_FINDINGS;
    const checked = checkImported(run, result);
    if (checked === undefined) return EXIT_FINDINGS;
    writeImported(run, result, checked.sources);
    reportImported(run, result, checked.check);
    return EXIT_OK;
  },
};

const STOPPED = 'import stopped: nothing was written\n';

interface ImportOptions {
  readonly oktaDir: string;
  readonly awsDir: string;
  /** --out as given. */
  readonly out: string;
  /** --out resolved against the working directory. */
  readonly outDir: string;
  /** --out as messages show it. */
  readonly outLabel: string;
  readonly force: boolean;
  readonly fresh: boolean;
  readonly instance: string | undefined;
  readonly today: string;
}

/** The access directory as it is before the import: its files and the settings they hold. */
interface ImportTarget {
  readonly existing: SourceFile[];
  readonly settingsSource: SourceFile;
  readonly settings: Settings;
}

/** What the steps of one run share. */
interface ImportRun extends ImportOptions, ImportTarget {
  readonly io: Io;
}

/** The files the import writes (the others in --out) after checking, sorted by path, and what the check found. */
interface CheckedImport {
  readonly sources: SourceFile[];
  readonly check: CheckResult;
}

/** The options, checked; usage errors thrown. */
function parseOptions(args: string[], io: Io): ImportOptions {
  const { values } = parseCommandArgs(args, {
    ...HELP_OPTION,
    okta: { type: 'string' },
    aws: { type: 'string' },
    out: { type: 'string', default: 'access' },
    force: { type: 'boolean' },
    fresh: { type: 'boolean' },
    instance: { type: 'string' },
  });
  if (values.okta === undefined || values.aws === undefined) throw new UsageError('--okta DIR and --aws DIR are both required');
  if (values.force && values.fresh) {
    throw new UsageError('--force and --fresh: pass one (--fresh replaces everything but settings.yaml; --force only the files the import writes)');
  }
  const oktaDir = path.resolve(io.cwd, values.okta);
  const awsDir = path.resolve(io.cwd, values.aws);
  for (const [flag, dir] of [['--okta', oktaDir], ['--aws', awsDir]] as const) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag}: ${displayPath(io.cwd, dir)} is not a directory`);
  }
  const outDir = path.resolve(io.cwd, values.out);
  const outLabel = displayPath(io.cwd, outDir);
  if (values.fresh && holdsWorkingDir(outDir, io.cwd)) {
    throw new UsageError(`--fresh replaces the whole of --out, and ${outLabel} is the working directory or holds it: name the access directory itself`);
  }
  return {
    oktaDir,
    awsDir,
    out: values.out,
    outDir,
    outLabel,
    force: values.force === true,
    fresh: values.fresh === true,
    instance: values.instance,
    today: instantOf(io.now()),
  };
}

/**
 * The files already in --out and the settings the exports cannot give (org,
 * app URLs, region, backend) from its settings.yaml; undefined, with the
 * reason on stderr, when it is missing, the example org's, or has errors.
 */
function readTarget({ out, outDir, outLabel }: ImportOptions, io: Io): ImportTarget | undefined {
  const existing = fs.existsSync(outDir) ? readAccessDir(out, io.cwd).sources : [];
  const settingsSource = existing.find((s) => s.rel === 'settings.yaml' || s.rel === 'settings.yml');
  const initCommand = `npx accessctl init${outLabel === 'access' ? '' : ` --dir ${outLabel}`}`;
  if (!settingsSource) {
    io.stderr(`${outLabel}/settings.yaml is missing: write it first (${initCommand} writes one to fill in; README, "Adopting it for a real org"); `
      + 'import fills in everything else\n');
    return undefined;
  }
  if (isExampleSettings(settingsSource)) {
    io.stderr(formatDiagnosticsText([diag(
      'ACC121',
      { file: settingsSource.file, line: 1, column: 1 },
      `${settingsSource.file} is the example org's (${EXAMPLE_ORG.label}): the import would put your org under its Okta org, app URLs and access portal`,
      `run ${initCommand} with your values first (it replaces the example org), then import`,
    )]));
    io.stderr(STOPPED);
    return undefined;
  }
  const emptyAccounts = { file: `${outLabel}/accounts.yaml`, rel: 'accounts.yaml', bytes: Buffer.from('accounts: []\n') };
  const settingsOnly = loadAccessModel([settingsSource, emptyAccounts], { dirLabel: outLabel });
  if (!settingsOnly.model) {
    io.stderr(formatDiagnosticsText(settingsOnly.diagnostics));
    io.stderr(`${settingsSource.file} has errors: fix it before importing\n`);
    return undefined;
  }
  return { existing, settingsSource, settings: settingsOnly.model.settings };
}

/** The import of the exports; undefined, with the finding on stderr, when the exports are refused. */
function buildFromExports(run: ImportRun): ImportResult | undefined {
  const { io, oktaDir, awsDir, settings, instance } = run;
  try {
    return buildImport({
      oktaDir,
      awsDir,
      oktaLabel: displayPath(io.cwd, oktaDir),
      awsLabel: displayPath(io.cwd, awsDir),
      settings,
      ...(instance !== undefined ? { instance } : {}),
    });
  } catch (e) {
    if (!(e instanceof ExportError) && !(e instanceof PolicyExportError)) throw e;
    io.stderr(formatDiagnosticsText([diag(e.code, { file: e.file, line: 1, column: 1 }, e.message, e.hint)]));
    io.stderr(STOPPED);
    return undefined;
  }
}

/**
 * Whether the files may be written: none would replace an existing file
 * (unless --force or --fresh), leave a stray one beside them (unless --fresh),
 * or be over the loader's size limit. The first of these refusals is reported on stderr.
 */
function mayWrite(run: ImportRun, result: ImportResult): boolean {
  for (const refusal of [clashingFiles, strayFiles, oversizedFiles]) {
    const findings = refusal(run, result);
    if (findings.length === 0) continue;
    run.io.stderr(formatDiagnosticsText(findings));
    run.io.stderr(STOPPED);
    return false;
  }
  return true;
}

/** Files the import writes that exist already, unless --force or --fresh replaces them. */
function clashingFiles({ existing, outDir, outLabel, force, fresh }: ImportRun, result: ImportResult): Diagnostic[] {
  if (force || fresh) return [];
  // The empty accounts.yaml and people.yaml that init writes are there to be replaced.
  const untouchedSkeleton = (rel: string): boolean => {
    const source = existing.find((s) => s.rel === rel);
    return source !== undefined && SKELETON_FILES.get(rel) === Buffer.from(source.bytes).toString('utf8');
  };
  const exists = (rel: string): boolean => existing.some((s) => s.rel === rel) || fs.existsSync(path.join(outDir, ...rel.split('/')));
  return [...result.files.keys()].filter((rel) => !untouchedSkeleton(rel) && exists(rel)).map((rel) => diag(
    'ACC093',
    { file: `${outLabel}/${rel}`, line: 1, column: 1 },
    `${outLabel}/${rel} exists: import does not merge into existing files`,
    'import into a directory with only settings.yaml (and policy.yaml), or pass --force (replaces the files the import writes) '
      + 'or --fresh (keeps only settings.yaml)',
  ));
}

/**
 * Files under groups/ and permission-sets/ the import does not write would mix two orgs (and old imports files two imports);
 * --fresh removes them.
 */
function strayFiles({ existing, fresh }: ImportRun, result: ImportResult): Diagnostic[] {
  if (fresh) return [];
  const importedKind = (rel: string): boolean => ['groups/', 'permission-sets/', 'accounts', 'imports'].some((prefix) => rel.startsWith(prefix));
  return existing.filter((s) => !result.files.has(s.rel) && importedKind(s.rel)).map((s) => diag(
    'ACC093',
    { file: s.file, line: 1, column: 1 },
    `${s.file} is not from the exports: remove it or import into an empty directory`,
    'or pass --fresh: it keeps only settings.yaml and replaces the rest',
  ));
}

/** The loader refuses files over its size limit: never write one it would refuse. */
function oversizedFiles({ outLabel }: ImportRun, result: ImportResult): Diagnostic[] {
  return [...result.files].filter(([, text]) => Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES).map(([rel, text]) => diag(
    'ACC002',
    { file: `${outLabel}/${rel}`, line: 1, column: 1 },
    `would be ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${MAX_FILE_BYTES}`,
  ));
}

/**
 * The access directory as it would be after the import, checked like
 * validate; undefined, with the errors on stderr, when it does not load.
 */
function checkImported({ io, existing, settingsSource, outLabel, fresh, today }: ImportRun, result: ImportResult): CheckedImport | undefined {
  const generated: SourceFile[] = [...result.files].map(([rel, text]) => ({ file: `${outLabel}/${rel}`, rel, bytes: Buffer.from(text, 'utf8') }));
  // --fresh: settings.yaml as it is, the default policy.yaml, and what the import writes; nothing else.
  const kept = fresh
    ? [settingsSource, { file: `${outLabel}/policy.yaml`, rel: 'policy.yaml', bytes: Buffer.from(SKELETON_FILES.get('policy.yaml')!, 'utf8') }]
    : existing.filter((s) => !result.files.has(s.rel));
  const sources = [...kept, ...generated].sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const check = checkSources(sources, { today, dirLabel: outLabel });
  if (!check.model) {
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    io.stderr(formatDiagnosticsText(errors));
    const notImported = [...new Set(errors.map((d) => d.file).filter((f) => kept.some((s) => s.file === f && s !== settingsSource)))];
    if (notImported.length > 0) {
      const one = notImported.length === 1;
      io.stderr(`${notImported.join(', ')} ${one ? 'is' : 'are'} not from the exports and name${one ? 's' : ''} what the import does not hold `
        + `(left from the example org?): edit ${one ? 'it' : 'them'}, `
        + 'or import --fresh, which keeps only settings.yaml and starts policy.yaml from the defaults\n');
    }
    io.stderr(`import stopped: the files it would write do not load (${formatCounts(check.diagnostics)}); nothing was written\n`);
    return undefined;
  }
  const layout = buildLayout({ model: check.model, today });
  if (layout.unmatchedImports.length > 0) {
    const first = layout.unmatchedImports[0]!;
    throw new Error(`internal: ${layout.unmatchedImports.length} import entries match no resource (first: ${first.resource} ${first.key})`);
  }
  return { sources, check };
}

/** --fresh replaces the whole directory; otherwise only the files the import writes are written. */
function writeImported({ io, outDir, outLabel, fresh }: ImportRun, result: ImportResult, sources: readonly SourceFile[]): void {
  if (fresh) {
    const leftover = replaceDirAtomic(outDir, sources.map((s) => ({ rel: s.rel, content: s.bytes })));
    if (leftover !== undefined) io.stderr(`the old ${outLabel} could not be removed: delete ${displayPath(io.cwd, leftover)}\n`);
  } else writeFilesAtomic([...result.files].map(([rel, text]) => ({ file: path.join(outDir, ...rel.split('/')), content: text })));
}

/** What was imported, what the first apply removes, what was not imported, and the next step. */
function reportImported({ io, existing, settingsSource, outLabel, fresh }: ImportRun, result: ImportResult, check: CheckResult): void {
  const counts = Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ');
  io.stdout(`imported into ${outLabel}: ${counts}\n`);
  if (fresh) {
    const dropped = existing.filter((s) => s !== settingsSource && !result.files.has(s.rel) && s.rel !== 'policy.yaml').length;
    const policy = existing.some((s) => s.rel === 'policy.yaml') ? 'replaced by' : 'written with';
    const removed = dropped > 0 ? `, ${dropped} other file${dropped === 1 ? '' : 's'} removed` : '';
    io.stdout(`--fresh: kept ${settingsSource.file}, policy.yaml ${policy} the defaults${removed}\n`);
  }
  if (result.revocations.length > 0) {
    io.stdout(`\nthe first apply removes this access (${result.revocations.length}): decide before applying, and say so in the pull request:\n`
      + `${result.revocations.map((n) => `  - ${n}\n`).join('')}`);
  }
  if (result.missingPolicies.length > 0) {
    io.stdout(`\ncustomer managed policies missing from accounts a permission set is assigned to (${result.missingPolicies.length}): `
      + 'IAM Identity Center cannot provision the permission set there until the policy exists in the account:\n'
      + `${result.missingPolicies.map((n) => `  - ${n}\n`).join('')}`);
  }
  if (result.notes.length > 0) {
    io.stdout(`\nnot imported as is (${result.notes.length}):\n${result.notes.map((n) => `  - ${n}\n`).join('')}`);
  }
  const importsPath = result.files.has('imports.yaml') ? `${outLabel}/imports.yaml` : `${outLabel}/imports/`;
  if (hasErrors(check.diagnostics)) {
    const { errors } = countBySeverity(check.diagnostics);
    const validate = `npx accessctl validate${outLabel === 'access' ? '' : ` --dir ${outLabel}`}`;
    io.stdout(`\nvalidate reports ${formatCounts(check.diagnostics)} in the imported org: the existing setup breaks these guardrails:\n`);
    io.stdout(formatDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error')));
    const those = errors === 1 ? 'that error' : `those ${errors} errors`;
    io.stdout(`\nnext: fix ${those} first, or waive ${errors === 1 ? 'it' : 'them'} with reasons and end dates in ${outLabel}/policy.yaml (docs/rules.md): `
      + `synth and plan refuse until ${validate} is clean. Then npx accessctl synth and a pull request; `
      + `the first plan must show imports and no destroy; delete ${importsPath} after the first apply.\n`);
  } else {
    io.stdout('\nnext: npx accessctl synth, then a pull request. '
      + `The first plan must show imports and no destroy; delete ${importsPath} after the first apply.\n`);
  }
}
