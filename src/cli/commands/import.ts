import * as fs from 'node:fs';
import { instantOf } from '../../util/dates';
import * as path from 'node:path';
import { checkSources } from '../../check';
import { countBySeverity, diag, hasErrors } from '../../diagnostics';
import { buildImport } from '../../import/build';
import { ExportError } from '../../import/exports';
import { displayPath, MAX_FILE_BYTES, readAccessDir, type SourceFile } from '../../load/source';
import { loadAccessModel } from '../../model/load';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { buildLayout } from '../../synth/layout';
import { replaceDirAtomic, writeFilesAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
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
lists several.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...HELP_OPTION, okta: { type: 'string' }, aws: { type: 'string' }, out: { type: 'string', default: 'access' }, force: { type: 'boolean' }, fresh: { type: 'boolean' }, instance: { type: 'string' } });
    if (values.okta === undefined || values.aws === undefined) throw new UsageError('--okta DIR and --aws DIR are both required');
    if (values.force && values.fresh) throw new UsageError('--force and --fresh: pass one (--fresh replaces everything but settings.yaml; --force only the files the import writes)');
    const oktaDir = path.resolve(io.cwd, values.okta);
    const awsDir = path.resolve(io.cwd, values.aws);
    for (const [flag, dir] of [['--okta', oktaDir], ['--aws', awsDir]] as const) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag}: ${displayPath(io.cwd, dir)} is not a directory`);
    }
    const outDir = path.resolve(io.cwd, values.out);
    const outLabel = displayPath(io.cwd, outDir);
    if (values.fresh && holdsWorkingDir(outDir, io.cwd)) throw new UsageError(`--fresh replaces the whole of --out, and ${outLabel} is the working directory or holds it: name the access directory itself`);
    const today = instantOf(io.now());

    // The settings the exports cannot give (org, app URLs, region, backend) come from settings.yaml.
    const existing = fs.existsSync(outDir) ? readAccessDir(values.out, io.cwd).sources : [];
    const settingsSource = existing.find((s) => s.rel === 'settings.yaml' || s.rel === 'settings.yml');
    if (!settingsSource) {
      io.stderr(`${outLabel}/settings.yaml is missing: write it first (npx accessctl init${outLabel === 'access' ? '' : ` --dir ${outLabel}`} writes one to fill in; README, "Adopting it for a real org"); import fills in everything else\n`);
      return EXIT_FINDINGS;
    }
    if (isExampleSettings(settingsSource)) {
      io.stderr(formatDiagnosticsText([diag('ACC121', { file: settingsSource.file, line: 1, column: 1 }, `${settingsSource.file} is the example org's (${EXAMPLE_ORG.label}): the import would put your org under its Okta org, app URLs and access portal`, `run npx accessctl init${outLabel === 'access' ? '' : ` --dir ${outLabel}`} with your values first (it replaces the example org), then import`)]));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }
    const settingsOnly = loadAccessModel([settingsSource, { file: `${outLabel}/accounts.yaml`, rel: 'accounts.yaml', bytes: Buffer.from('accounts: []\n') }], { dirLabel: outLabel });
    if (!settingsOnly.model) {
      io.stderr(formatDiagnosticsText(settingsOnly.diagnostics));
      io.stderr(`${settingsSource.file} has errors: fix it before importing\n`);
      return EXIT_FINDINGS;
    }

    let result;
    try {
      result = buildImport({ oktaDir, awsDir, oktaLabel: displayPath(io.cwd, oktaDir), awsLabel: displayPath(io.cwd, awsDir), settings: settingsOnly.model.settings, ...(values.instance !== undefined ? { instance: values.instance } : {}) });
    } catch (e) {
      if (!(e instanceof ExportError)) throw e;
      io.stderr(formatDiagnosticsText([diag(e.code, { file: e.file, line: 1, column: 1 }, e.message, e.hint)]));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }

    // The empty accounts.yaml and people.yaml that init writes are there to be replaced.
    const untouchedSkeleton = (rel: string): boolean => {
      const source = existing.find((s) => s.rel === rel);
      return source !== undefined && SKELETON_FILES.get(rel) === Buffer.from(source.bytes).toString('utf8');
    };
    const clashes = [...result.files.keys()].filter((rel) => !untouchedSkeleton(rel) && (existing.some((s) => s.rel === rel) || fs.existsSync(path.join(outDir, ...rel.split('/')))));
    if (clashes.length > 0 && !values.force && !values.fresh) {
      io.stderr(formatDiagnosticsText(clashes.map((rel) => diag('ACC093', { file: `${outLabel}/${rel}`, line: 1, column: 1 }, `${outLabel}/${rel} exists: import does not merge into existing files`, 'import into a directory with only settings.yaml (and policy.yaml), or pass --force (replaces the files the import writes) or --fresh (keeps only settings.yaml)'))));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }
    // Files under groups/ and permission-sets/ the import does not write would mix two orgs (and old imports files two imports).
    const strays = existing.filter((s) => !result.files.has(s.rel) && (s.rel.startsWith('groups/') || s.rel.startsWith('permission-sets/') || s.rel.startsWith('accounts') || s.rel.startsWith('imports')));
    if (strays.length > 0 && !values.fresh) {
      io.stderr(formatDiagnosticsText(strays.map((s) => diag('ACC093', { file: s.file, line: 1, column: 1 }, `${s.file} is not from the exports: remove it or import into an empty directory`, 'or pass --fresh: it keeps only settings.yaml and replaces the rest'))));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }

    // The loader refuses files over its size limit: never write one it would refuse.
    const oversized = [...result.files].filter(([, text]) => Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES);
    if (oversized.length > 0) {
      io.stderr(formatDiagnosticsText(oversized.map(([rel, text]) => diag('ACC002', { file: `${outLabel}/${rel}`, line: 1, column: 1 }, `would be ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${MAX_FILE_BYTES}`))));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }

    const generated: SourceFile[] = [...result.files].map(([rel, text]) => ({ file: `${outLabel}/${rel}`, rel, bytes: Buffer.from(text, 'utf8') }));
    // --fresh: settings.yaml as it is, the default policy.yaml, and what the import writes; nothing else.
    const kept = values.fresh
      ? [settingsSource, { file: `${outLabel}/policy.yaml`, rel: 'policy.yaml', bytes: Buffer.from(SKELETON_FILES.get('policy.yaml')!, 'utf8') }]
      : existing.filter((s) => !result.files.has(s.rel));
    const sources = [...kept, ...generated].sort((a, b) => (a.rel < b.rel ? -1 : 1));
    const check = checkSources(sources, { today, dirLabel: outLabel });
    const loadErrors = !check.model;
    if (loadErrors) {
      const errors = check.diagnostics.filter((d) => d.severity === 'error');
      io.stderr(formatDiagnosticsText(errors));
      const notImported = [...new Set(errors.map((d) => d.file).filter((f) => kept.some((s) => s.file === f && s !== settingsSource)))];
      if (notImported.length > 0) {
        io.stderr(`${notImported.join(', ')} ${notImported.length === 1 ? 'is' : 'are'} not from the exports and name${notImported.length === 1 ? 's' : ''} what the import does not hold (left from the example org?): edit ${notImported.length === 1 ? 'it' : 'them'}, or import --fresh, which keeps only settings.yaml and starts policy.yaml from the defaults\n`);
      }
      io.stderr(`import stopped: the files it would write do not load (${formatCounts(check.diagnostics)}); nothing was written\n`);
      return EXIT_FINDINGS;
    }
    const layout = buildLayout({ model: check.model!, today });
    if (layout.unmatchedImports.length > 0) {
      throw new Error(`internal: ${layout.unmatchedImports.length} import entries match no resource (first: ${layout.unmatchedImports[0]!.resource} ${layout.unmatchedImports[0]!.key})`);
    }

    if (values.fresh) {
      const leftover = replaceDirAtomic(outDir, sources.map((s) => ({ rel: s.rel, content: s.bytes })));
      if (leftover !== undefined) io.stderr(`the old ${outLabel} could not be removed: delete ${displayPath(io.cwd, leftover)}\n`);
    } else writeFilesAtomic([...result.files].map(([rel, text]) => ({ file: path.join(outDir, ...rel.split('/')), content: text })));
    const counts = Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ');
    io.stdout(`imported into ${outLabel}: ${counts}\n`);
    if (values.fresh) {
      const dropped = existing.filter((s) => s !== settingsSource && !result.files.has(s.rel) && s.rel !== 'policy.yaml').length;
      io.stdout(`--fresh: kept ${settingsSource.file}, policy.yaml ${existing.some((s) => s.rel === 'policy.yaml') ? 'replaced by' : 'written with'} the defaults${dropped > 0 ? `, ${dropped} other file${dropped === 1 ? '' : 's'} removed` : ''}\n`);
    }
    if (result.revocations.length > 0) {
      io.stdout(`\nthe first apply removes this access (${result.revocations.length}): decide before applying, and say so in the pull request:\n${result.revocations.map((n) => `  - ${n}\n`).join('')}`);
    }
    if (result.notes.length > 0) {
      io.stdout(`\nnot imported as is (${result.notes.length}):\n${result.notes.map((n) => `  - ${n}\n`).join('')}`);
    }
    const importsPath = result.files.has('imports.yaml') ? `${outLabel}/imports.yaml` : `${outLabel}/imports/`;
    if (hasErrors(check.diagnostics)) {
      const { errors } = countBySeverity(check.diagnostics);
      io.stdout(`\nvalidate reports ${formatCounts(check.diagnostics)} in the imported org: the existing setup breaks these guardrails:\n`);
      io.stdout(formatDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error')));
      io.stdout(`\nnext: fix ${errors === 1 ? 'that error' : `those ${errors} errors`} first, or waive ${errors === 1 ? 'it' : 'them'} with reasons and end dates in ${outLabel}/policy.yaml (docs/rules.md): synth and plan refuse until npx accessctl validate${outLabel === 'access' ? '' : ` --dir ${outLabel}`} is clean. Then npx accessctl synth and a pull request; the first plan must show imports and no destroy; delete ${importsPath} after the first apply.\n`);
    } else {
      io.stdout(`\nnext: npx accessctl synth, then a pull request. The first plan must show imports and no destroy; delete ${importsPath} after the first apply.\n`);
    }
    return EXIT_OK;
  },
};
