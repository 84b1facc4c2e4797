import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WriteResult {
  /** Paths relative to the output directory, "/" separated, sorted. */
  readonly written: readonly string[];
  /** Stack files of stacks that are no longer produced, removed. */
  readonly removed: readonly string[];
}

/**
 * Produces output into a temporary sibling of `out`, then moves each file into
 * place. If producing fails, nothing under `out` changes. Only the files the
 * producer writes are replaced, so Terraform's own files next to them
 * (.terraform/, lock files) survive; the stack file of a stack that is no
 * longer produced is removed so that no stale configuration can be applied.
 */
export function writeOutputAtomically(out: string, produce: (tmpdir: string) => void): WriteResult {
  const parent = path.dirname(out);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(out)}.tmp-`));
  try {
    produce(tmp);
    const files = listFiles(tmp);
    const previous = stacksIn(out);
    const current = stacksIn(tmp);
    for (const rel of files) {
      const dest = path.join(out, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(path.join(tmp, rel), dest);
    }
    const removed: string[] = [];
    for (const stack of previous) {
      if (current.includes(stack)) continue;
      for (const name of ['cdk.tf.json', 'metadata.json']) {
        const rel = `stacks/${stack}/${name}`;
        if (fs.existsSync(path.join(out, rel))) {
          fs.rmSync(path.join(out, rel));
          removed.push(rel);
        }
      }
    }
    return { written: files, removed };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out;
}

/** Stacks a cdktf output directory holds, from the stack files present. */
function stacksIn(dir: string): string[] {
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks)) return [];
  return fs.readdirSync(stacks).filter((s) => fs.existsSync(path.join(stacks, s, 'cdk.tf.json'))).sort();
}
