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
import { loadOrReport } from '../load-or-report';

export const codeowners: Command = {
  name: 'codeowners',
  summary: 'write .github/CODEOWNERS: group files to their owners, the rest to the security team',
  usage: `accessctl codeowners [--check] [--out FILE] [--dir DIR]

Writes FILE (default: .github/CODEOWNERS at the root of the git repository
that holds DIR, else next to DIR) so that each group file is owned by its
owners' GitHub handles (people.yaml) and every other file by
settings.yaml github.securityTeam. An owner without a handle is a warning; the
file then falls back to the other owners or the security team. --check
writes nothing and exits 1 when FILE is missing or differs (run it in CI).`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, check: { type: 'boolean' }, out: { type: 'string', short: 'o' } });
    const model = loadOrReport(values.dir, io);
    if (!model) return EXIT_FINDINGS;
    const git = new Git(io.cwd);
    const root = git.isRepository() ? git.text(['rev-parse', '--show-toplevel']) : path.resolve(io.cwd, values.dir, '..');
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
      const want = text.split('\n');
      const have = (current ?? '').split('\n');
      const missing = want.filter((l) => !have.includes(l));
      const extra = have.filter((l) => !want.includes(l) && l !== '');
      io.stderr(`${shown} is ${current === undefined ? 'missing' : 'stale'}: run npx accessctl codeowners and commit it\n`);
      for (const l of missing) io.stderr(`+ ${l}\n`);
      for (const l of extra) io.stderr(`- ${l}\n`);
      return EXIT_FINDINGS;
    }
    writeFileAtomic(file, text);
    io.stdout(`wrote ${shown}: ${text.split('\n').filter((l) => l.startsWith('/')).length} group files, security team ${model.settings.github.securityTeam ?? '(none)'}\n`);
    return EXIT_OK;
  },
};
