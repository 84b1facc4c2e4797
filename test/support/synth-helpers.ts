import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeLayout } from '../../stacks';
import type { AccessModel } from '../../src/model/types';
import { buildLayout, type BaseRevision, type Layout } from '../../src/synth/layout';
import { load } from './helpers';

export type TfJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Synthesizes a layout into a fresh directory and returns each stack's file text. */
export function synthFiles(layout: Layout, model: AccessModel): Record<string, string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-synth-'));
  const stacks = synthesizeLayout(layout, { backend: model.settings.backend, localStateDir: '../../..' }, out);
  const files: Record<string, string> = {};
  for (const s of stacks) files[s] = fs.readFileSync(path.join(out, 'stacks', s, 'cdk.tf.json'), 'utf8');
  fs.rmSync(out, { recursive: true, force: true });
  return files;
}

/** Loads an org (helpers.load), builds its layout and synthesizes it: stack -> parsed Terraform JSON. */
export function synthOrg(files: Record<string, string | null>, opts: { today?: string; base?: BaseRevision } = {}): Record<string, TfJson> {
  const r = load(files);
  if (!r.model) throw new Error(`fixture does not validate: ${JSON.stringify(r.diagnostics)}`);
  const layout = buildLayout({ model: r.model, today: opts.today ?? '2026-11-23', ...(opts.base ? { base: opts.base } : {}) });
  const text = synthFiles(layout, r.model);
  return Object.fromEntries(Object.entries(text).map(([k, v]) => [k, JSON.parse(v) as TfJson]));
}

/** Terraform JSON as golden files hold it: cdktf's "//" metadata removed, keys sorted, two-space indent. */
export function normalize(json: unknown): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) if (k !== '//') out[k] = strip((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return `${JSON.stringify(strip(json), null, 2)}\n`;
}

/** Compares with test/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, json: unknown): void {
  const file = path.join(__dirname, '..', 'golden', name);
  const actual = normalize(json);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
  }
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** The instance keys of a for_each resource, sorted. */
export function keysOf(stack: TfJson, type: string, name = 'this'): string[] {
  const r = stack.resource?.[type]?.[name];
  if (!r) return [];
  return Object.keys(r.for_each as object).sort();
}
