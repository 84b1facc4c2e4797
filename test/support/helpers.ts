import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/diagnostics';
import type { Io } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import type { SourceFile } from '../../src/load/source';
import { loadAccessModel, type LoadResult } from '../../src/model/load';
import { SchemaValidator } from '../../src/schema/validate';
import { initRepo } from './git';

/** A small valid org that tests add to or override, file by file (rel path -> YAML, null deletes). */
export const BASE: Readonly<Record<string, string>> = {
  'settings.yaml': `okta:
  org: acme
  orgType: identity-engine
  apps:
    aws:
      label: AWS
      acsUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc
      issuerUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890
      mfa: required
aws:
  region: us-east-1
  startUrl: https://d-1234567890.awsapps.com/start
backend: { type: local }
`,
  'accounts.yaml': `accounts:
  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { env: prod } }
  - { name: dev, id: "022222222222", ou: Workloads/Dev, tags: { env: dev } }
`,
  'permission-sets/ReadOnly.yaml': `name: ReadOnly
managedPolicies: [ViewOnlyAccess]
`,
};

export function sources(files: Record<string, string | Uint8Array | null>, base: Readonly<Record<string, string>> = BASE): SourceFile[] {
  const merged: Record<string, string | Uint8Array | null> = { ...base, ...files };
  return Object.keys(merged)
    .sort()
    .filter((rel) => merged[rel] !== null)
    .map((rel) => {
      const content = merged[rel]!;
      return { file: `access/${rel}`, rel, bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content };
    });
}

const validator = new SchemaValidator();

export function load(files: Record<string, string | Uint8Array | null>, base?: Readonly<Record<string, string>>): LoadResult {
  return loadAccessModel(sources(files, base), { validator });
}

/** Diagnostics as compact "file:line:col CODE" strings, the form most assertions use. */
export function where(result: LoadResult | readonly Diagnostic[]): string[] {
  const list = Array.isArray(result) ? result : (result as LoadResult).diagnostics;
  return list.map((d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code}`);
}

/** The single diagnostic of a result (fails the test when there is not exactly one). */
export function only(result: LoadResult): Diagnostic {
  expect(where(result)).toHaveLength(1);
  return result.diagnostics[0];
}

/** Writes files into a fresh temporary directory laid out as a repository (access/…). */
export function tempRepo(files: Record<string, string | Uint8Array | null>, base: Readonly<Record<string, string>> = BASE): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-test-'));
  for (const s of sources(files, base)) {
    const abs = path.join(root, 'access', s.rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, s.bytes);
  }
  return root;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with a fixed clock. */
export async function run(argv: string[], cwd: string, now = '2026-11-23T12:00:00Z', env: Record<string, string> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd,
    now: () => new Date(now),
    env,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A copy of the example org in a fresh directory (a git repository when asked). */
export function exampleOrg(withGit = false, prepare?: (root: string) => void): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-request-'));
  fs.cpSync(path.join(REPO_ROOT, 'access'), path.join(root, 'access'), { recursive: true });
  prepare?.(root);
  if (withGit) initRepo(root, 'example org');
  return root;
}
