import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCodeowners } from '../../github/codeowners';
import { Git } from '../../git/git';
import { displayPath } from '../../load/source';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { writeFileAtomic } from '../../util/fs';
import { DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { loadOrReport, VERBOSE_OPTION } from '../load-or-report';

export const codeowners: Command = {
  name: 'codeowners',
  summary: 'write .github/CODEOWNERS: group files to their owners, the rest to the security team',
  usage: `accessctl codeowners [--check] [--out FILE] [--dir DIR] [--verbose]

Writes FILE (default: .github/CODEOWNERS at the root of the git repository
that holds DIR, else next to DIR) so that each group file is owned by its
owners' GitHub handles (people.yaml) and every other file by
settings.yaml github.securityTeam. An owner without a handle is a warning; the
file then falls back to the other owners or the security team. --check
writes nothing and exits 1 when FILE is missing or differs (run it in CI).
Warnings in the access files are counted on stderr; --verbose lists them.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...DIR_OPTION, ...HELP_OPTION, check: { type: 'boolean' }, out: { type: 'string', short: 'o' }, ...VERBOSE_OPTION },
    );
    const model = loadOrReport(values.dir, io, !values.verbose);
    if (!model) return EXIT_FINDINGS;
    // The repository that holds DIR (not necessarily the one of the working directory), else DIR's parent.
    const git = Git.forDir(io.cwd, values.dir);
    // The top level as seen through DIR as given (git prints it with symbolic links resolved).
    const root = git.isRepository() ? git.rootOf(values.dir) : path.dirname(path.resolve(io.cwd, values.dir));
    const { text, diagnostics } = buildCodeowners({ model, root, cwd: io.cwd });
    if (diagnostics.length > 0) io.stderr(formatDiagnosticsText(diagnostics));
    const file = path.resolve(io.cwd, values.out ?? path.join(root, '.github', 'CODEOWNERS'));
    const shown = displayPath(io.cwd, file);
    if (values.check) {
      let current: string | undefined;
      try {
        current = fs.readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current === text) {
        io.stdout(`${shown} is up to date\n`);
        return EXIT_OK;
      }
      io.stderr(`${shown} is ${current === undefined ? 'missing' : 'stale'}: run npx accessctl codeowners and commit it\n`);
      if (current !== undefined) io.stderr(lineDiff(current, text));
      return EXIT_FINDINGS;
    }
    writeFileAtomic(file, text);
    io.stdout(`wrote ${shown}: ${text.split('\n').filter((l) => l.startsWith('/')).length} group files, security team ` +
        `${model.settings.github.securityTeam ?? '(none)'}\n`);
    return EXIT_OK;
  },
};

/**
 * The lines that differ between two texts, in order: "-" for a line only the
 * committed file has, "+" for one only the fresh output has, each run of
 * changes headed by its line in the committed file (a longest-common-
 * subsequence diff; CODEOWNERS files are small).
 */
export function lineDiff(before: string, after: string): string {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j]
    ? lcs[i + 1]![j + 1]! + 1
    : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  let out = '';
  let i = 0;
  let j = 0;
  let inRun = false;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      inRun = false;
      continue;
    }
    if (!inRun) out += `@@ line ${i + 1} @@\n`;
    inRun = true;
    if (j >= b.length || (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out += `- ${a[i++]}\n`;
    else out += `+ ${b[j++]}\n`;
  }
  if (before.endsWith('\n') !== after.endsWith('\n')) out += `(the committed file ${before.endsWith('\n') ? 'has' : 'lacks'} a final newline)\n`;
  return out;
}
