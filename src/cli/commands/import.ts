import * as fs from 'node:fs';
import { instantOf } from '../../util/dates';
import * as path from 'node:path';
import { checkSources } from '../../check';
import { diag, hasErrors } from '../../diagnostics';
import { buildImport } from '../../import/build';
import { ExportError } from '../../import/exports';
import { displayPath, MAX_FILE_BYTES, readAccessDir, type SourceFile } from '../../load/source';
import { loadAccessModel } from '../../model/load';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { buildLayout } from '../../synth/layout';
import { writeFilesAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const importCommand: Command = {
  name: 'import',
  summary: 'bootstrap access/ from Okta and AWS exports, with import blocks so the first apply adopts what exists',
  usage: `accessctl import --okta DIR --aws DIR [--instance ARN] [--out DIR] [--force]

Reads the JSON exports docs/import.md lists (Okta groups, their users and
owners, apps and their groups; AWS IAM Identity Center permission sets and
their policies, account assignments, Identity Store groups, Organizations
accounts and OUs) and writes accounts.yaml, people.yaml, one file per
permission set and per group, and imports.yaml: one Terraform import block per
existing object, so the first plan adopts them and destroys nothing. --out
(default: access) must hold settings.yaml already; files the import writes
must not exist unless --force. Everything is checked like validate before
anything is written. What cannot be expressed is listed, never dropped
silently, and access the first apply would remove is listed apart.
--instance picks the IAM Identity Center instance when aws/instances.json
lists several.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...HELP_OPTION, okta: { type: 'string' }, aws: { type: 'string' }, out: { type: 'string', default: 'access' }, force: { type: 'boolean' }, instance: { type: 'string' } });
    if (values.okta === undefined || values.aws === undefined) throw new UsageError('--okta DIR and --aws DIR are both required');
    const oktaDir = path.resolve(io.cwd, values.okta);
    const awsDir = path.resolve(io.cwd, values.aws);
    for (const [flag, dir] of [['--okta', oktaDir], ['--aws', awsDir]] as const) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag}: ${displayPath(io.cwd, dir)} is not a directory`);
    }
    const outDir = path.resolve(io.cwd, values.out);
    const outLabel = displayPath(io.cwd, outDir);
    const today = instantOf(io.now());

    // The settings the exports cannot give (org, app URLs, region, backend) come from settings.yaml.
    const existing = fs.existsSync(outDir) ? readAccessDir(values.out, io.cwd).sources : [];
    const settingsSource = existing.find((s) => s.rel === 'settings.yaml' || s.rel === 'settings.yml');
    if (!settingsSource) {
      io.stderr(`${outLabel}/settings.yaml is missing: write it first (README, "Adopting it for a real org", step 2); import fills in everything else\n`);
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

    const clashes = [...result.files.keys()].filter((rel) => existing.some((s) => s.rel === rel) || fs.existsSync(path.join(outDir, ...rel.split('/'))));
    if (clashes.length > 0 && !values.force) {
      io.stderr(formatDiagnosticsText(clashes.map((rel) => diag('ACC093', { file: `${outLabel}/${rel}`, line: 1, column: 1 }, `${outLabel}/${rel} exists: import does not merge into existing files`, 'import into a directory with only settings.yaml (and policy.yaml), or pass --force'))));
      io.stderr('import stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }
    // Files under groups/ and permission-sets/ the import does not write would mix two orgs (and old imports files two imports).
    const strays = existing.filter((s) => !result.files.has(s.rel) && (s.rel.startsWith('groups/') || s.rel.startsWith('permission-sets/') || s.rel.startsWith('accounts') || s.rel.startsWith('imports')));
    if (strays.length > 0) {
      io.stderr(formatDiagnosticsText(strays.map((s) => diag('ACC093', { file: s.file, line: 1, column: 1 }, `${s.file} is not from the exports: remove it or import into an empty directory`))));
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
    const sources = [...existing.filter((s) => !result.files.has(s.rel)), ...generated].sort((a, b) => (a.rel < b.rel ? -1 : 1));
    const check = checkSources(sources, { today, dirLabel: outLabel });
    const loadErrors = !check.model;
    if (loadErrors) {
      io.stderr(formatDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error')));
      io.stderr(`import stopped: the files it would write do not load (${formatCounts(check.diagnostics)}); nothing was written\n`);
      return EXIT_FINDINGS;
    }
    const layout = buildLayout({ model: check.model!, today });
    if (layout.unmatchedImports.length > 0) {
      throw new Error(`internal: ${layout.unmatchedImports.length} import entries match no resource (first: ${layout.unmatchedImports[0]!.resource} ${layout.unmatchedImports[0]!.key})`);
    }

    writeFilesAtomic([...result.files].map(([rel, text]) => ({ file: path.join(outDir, ...rel.split('/')), content: text })));
    const counts = Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ');
    io.stdout(`imported into ${outLabel}: ${counts}\n`);
    if (result.revocations.length > 0) {
      io.stdout(`\nthe first apply removes this access (${result.revocations.length}): decide before applying, and say so in the pull request:\n${result.revocations.map((n) => `  - ${n}\n`).join('')}`);
    }
    if (result.notes.length > 0) {
      io.stdout(`\nnot imported as is (${result.notes.length}):\n${result.notes.map((n) => `  - ${n}\n`).join('')}`);
    }
    if (hasErrors(check.diagnostics)) {
      io.stdout(`\nvalidate reports ${formatCounts(check.diagnostics)} in the imported org: the existing setup breaks these guardrails. Fix them, or waive them with reasons in policy.yaml, before the first plan:\n`);
      io.stdout(formatDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error')));
    }
    io.stdout(`\nnext: npx accessctl synth, then a pull request. The first plan must show imports and no destroy; delete ${result.files.has('imports.yaml') ? `${outLabel}/imports.yaml` : `${outLabel}/imports/`} after the first apply.\n`);
    return EXIT_OK;
  },
};
