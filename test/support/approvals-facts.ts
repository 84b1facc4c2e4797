// The facts of a change to the example org, built in memory for the tests of
// the approval rules and of evaluate(): no git, no GitHub.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changeFacts, type ChangedPaths, type ChangeFacts } from '../../src/approvals/facts';
import { diffRevisions, type Revision } from '../../src/diff/revisions';
import type { AccessModel } from '../../src/model/types';
import { load, REPO_ROOT, sources } from './helpers';

/** The example org's files (rel -> text). */
export function exampleFiles(): Record<string, string> {
  const root = path.join(REPO_ROOT, 'access');
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Files loaded as one revision; throws when they do not load. */
export function revision(label: string, files: Record<string, string>): Revision & { model: AccessModel } {
  const r = load(files, {});
  if (!r.model) throw new Error(`${label} does not load: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`);
  return { label, model: r.model, diagnostics: r.diagnostics, sources: sources(files, {}) };
}

/** Edits: rel -> [from, to] text replacements (a rel the files lack is a new file, its text the `to` of one pair with from ''). */
export type Edits = Record<string, Array<[string, string]>>;

/** The facts of changing `base` (rel -> text) by `edits`, judged at `now`. */
export function factsOf(base: Record<string, string>, edits: Edits, now: string, repo?: ChangedPaths): ChangeFacts {
  const head = { ...base };
  for (const [rel, pairs] of Object.entries(edits)) {
    for (const [from, to] of pairs) {
      if (head[rel] === undefined && from === '') head[rel] = to;
      else if (!head[rel]?.includes(from)) throw new Error(`${rel} has no ${from}`);
      else head[rel] = head[rel]!.replace(from, to);
    }
  }
  const change = diffRevisions(revision('base', base), revision('head', head), now);
  return changeFacts(change as typeof change & { base: { model: AccessModel }; head: { model: AccessModel } }, now, repo);
}
