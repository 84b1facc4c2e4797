import * as path from 'node:path';
import { instantOf, stillActive } from '../../util/dates';
import { cmp } from '../../diagnostics';
import { displayPath } from '../../load/source';
import { describeSelector } from '../../model/selectors';
import { REVIEW_FORMATS, REVIEW_REPORTERS } from '../../reporters/review';
import type { ReviewGroup, ReviewMember } from '../../reporters/review/types';
import { writeFileAtomic } from '../../util/fs';
import { SensitiveIndex, sensitiveLabel } from '../../iam/sensitive';
import type { Group } from '../../model/types';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { walk } from './audit';
import { knownValues } from './who-can';

/** Each distinct permission set of the group's grants, in grant order, with the sensitive actions it gives. */
function sensitiveGrants(g: Group, index: SensitiveIndex): ReviewGroup['sensitive'] {
  const names = [...new Set(g.grants.map((gr) => gr.permissionSet))];
  return names.map((permissionSet) => ({ permissionSet, actions: index.of(permissionSet).map(sensitiveLabel) }));
}

export const review: Command = {
  name: 'review',
  defaultFormat: 'markdown',
  summary: 'the periodic access-review sheet per group: every member, since when, last change, expiry',
  usage: `accessctl review [--group NAME] [--format markdown|html|csv] [--out FILE] [--dir DIR]

For each group (or the groups named), lists its owners, what membership gives
and the sensitive actions that brings (policy.yaml sensitiveActions, per
permission set; csv: a sensitiveActions column per member), and every member with the commit since which they have been a member, the last
commit that changed their membership, the expiry and the reason, with
keep/remove boxes for the owners. Break-glass members are marked
("break-glass until TIME"); a member whose expiry has passed but whose entry is
still in the file is shown as "expired, to remove". Built from the git history
of DIR.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...DIR_OPTION, ...HELP_OPTION, group: { type: 'string', multiple: true }, format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' } },
    );
    const format = choice('format', values.format, REVIEW_FORMATS, 'markdown');
    const walked = walk(values.dir, io);
    if ('code' in walked) return walked.code;
    const model = walked.result.model;
    if (!model) {
      io.stderr('accessctl review: no commit in the history has valid access files\n');
      return EXIT_FINDINGS;
    }
    const names = model.groups.map((g) => g.name);
    knownValues('group', values.group ?? [], names, ' at HEAD');
    const today = instantOf(io.now());
    const wanted = new Set(values.group ?? names);
    const sensitive = new SensitiveIndex(model);
    const groups: ReviewGroup[] = model.groups
      .filter((g) => wanted.has(g.name))
      .map((g) => ({
        name: g.name,
        ...(g.description !== undefined ? { description: g.description } : {}),
        owners: g.owners.map((o) => o.login),
        mode: g.mode,
        grants: g.grants.map((gr) => `${gr.permissionSet} on ${describeSelector(gr.selector)} (${gr.accountIds.length} ` +
            `account${gr.accountIds.length === 1 ? '' : 's'})`),
        sensitive: sensitiveGrants(g, sensitive),
        members: walked.result.memberships
          .filter((m) => m.group === g.name)
          .map((m): ReviewMember => (m.expires === undefined || stillActive(m.expires, today) ? m : { ...m, expired: true }))
          .sort((a, b) => cmp(a.user, b.user)),
      }));
    const text = REVIEW_REPORTERS[format]({
      groups,
      generated: io.now().toISOString().replace(/\.[0-9]{3}Z$/, 'Z'),
      ...(io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY ? { repoUrl: `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}` } : {}),
    });
    if (values.out !== undefined) {
      const out = path.resolve(io.cwd, values.out);
      writeFileAtomic(out, text);
      io.stdout(`wrote ${displayPath(io.cwd, out)}: ${groups.length} groups, ${groups.reduce((n, g) => n + g.members.length, 0)} members\n`);
    } else io.stdout(text);
    return EXIT_OK;
  },
};
