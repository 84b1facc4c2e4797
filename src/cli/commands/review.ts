import * as path from 'node:path';
import { instantOf, stillActive } from '../../util/dates';
import { cmp } from '../../diagnostics';
import { displayPath } from '../../load/source';
import { describeSelector } from '../../model/selectors';
import { REVIEW_FORMATS, REVIEW_REPORTERS } from '../../reporters/review';
import type { ReviewGroup, ReviewMember } from '../../reporters/review/types';
import { writeFileAtomic } from '../../util/fs';
import { SensitiveIndex, sensitiveLabel } from '../../iam/sensitive';
import type { AccessModel, Group } from '../../model/types';
import type { MembershipRecord } from '../../audit/walk';
import { highPrivilegeGroups } from '../../guardrails/rules/confusable-login';
import { memberUsage, readUsage, type UnusedRule, type Usage } from '../../usage/rows';
import { unusedThresholds } from '../../usage/threshold';
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

/** The rules a membership's use is judged by: policy.yaml unused-access, and high-privilege-expiry's high-privilege sets. */
function unusedRule(model: AccessModel): UnusedRule {
  const groups = highPrivilegeGroups(model);
  return { thresholds: unusedThresholds(model), highPrivilege: new Set([...groups.values()].flat()) };
}

/** A group's members for the sheet, by login: lapsed ones marked expired, each with its usage when a file is given. */
function members(g: Group, memberships: readonly MembershipRecord[], today: string, usage?: { file: Usage; rule: UnusedRule }): ReviewMember[] {
  return memberships
    .filter((m) => m.group === g.name)
    .map((m): ReviewMember => (m.expires === undefined || stillActive(m.expires, today) ? m : { ...m, expired: true }))
    .map((m): ReviewMember => (usage ? { ...m, usage: memberUsage(usage.file, usage.rule, g, m) } : m))
    .sort((a, b) => cmp(a.user, b.user));
}

export const review: Command = {
  name: 'review',
  defaultFormat: 'markdown',
  summary: 'the periodic access-review sheet per group: every member, since when, last change, expiry',
  usage: `accessctl review [--group NAME] [--usage FILE] [--format markdown|html|csv] [--out FILE] [--dir DIR]

For each group (or the groups named), lists its owners, what membership gives
and the sensitive actions that brings (policy.yaml sensitiveActions, per
permission set; csv: a sensitiveActions column per member), and every member with the commit since which they have been a member, the last
commit that changed their membership, the expiry and the reason, with
keep/remove boxes for the owners. Break-glass members are marked
("break-glass until TIME"); a member whose expiry has passed but whose entry is
still in the file is shown as "expired, to remove". Built from the git history
of DIR.
--usage FILE (written by accessctl usage from CloudTrail) adds each member's
last use (the latest of the permission sets and accounts the membership
gives) and flags a membership unused for longer than policy.yaml
unused-access days (default 90; highPrivilegeDays, default 30, when the group
gives a high-privilege permission set): "unused 143 days (threshold 30, high
privilege)". Days count to now, from the later of the last use (or the
file's first day) and the start of the membership. The html sheet lists the
unused first in each group; csv adds lastUsed, unusedDays and unused. A bad
file is an error (exit 1) naming it and the JSON path. See docs/usage.md.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      group: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      usage: { type: 'string' },
    });
    const format = choice('format', values.format, REVIEW_FORMATS, 'markdown');
    const usage = values.usage === undefined ? undefined : readUsage(values.usage, io);
    if (usage === null) return EXIT_FINDINGS;
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
    const rule = usage ? unusedRule(model) : undefined;
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
        members: members(g, walked.result.memberships, today, usage && rule ? { file: usage, rule } : undefined),
      }));
    const text = REVIEW_REPORTERS[format]({
      groups,
      generated: io.now().toISOString().replace(/\.[0-9]{3}Z$/, 'Z'),
      ...(io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY ? { repoUrl: `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}` } : {}),
      ...(usage && rule ? { usage: { file: usage.shown, window: usage.window, until: usage.index.file.until, thresholds: rule.thresholds } } : {}),
    });
    if (values.out !== undefined) {
      const out = path.resolve(io.cwd, values.out);
      writeFileAtomic(out, text);
      io.stdout(`wrote ${displayPath(io.cwd, out)}: ${groups.length} groups, ${groups.reduce((n, g) => n + g.members.length, 0)} members\n`);
    } else io.stdout(text);
    return EXIT_OK;
  },
};
