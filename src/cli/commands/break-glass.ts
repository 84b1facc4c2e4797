import { addMember, EditError } from '../../edit/edits';
import { BREAK_GLASS_FORM_FIELDS, parseIssueForm } from '../../edit/issue-form';
import { checkEdit, loadForEdit, sourceOf, writeEdit } from '../../edit/session';
import { displayPath } from '../../load/source';
import { isActive } from '../../model/access';
import { foldLogin } from '../../model/logins';
import { DIFF_FORMATS, DIFF_REPORTERS } from '../../reporters/diff';
import { codeSpan, esc } from '../../reporters/diff/markdown';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { addHours, instantOf } from '../../util/dates';
import { choice, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { commitOnBranch, EDIT_OPTIONS, editDeps, findGroup, hint, knownLogin, prepareBranch, readIssueForm, refuse, slug } from '../edit-command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const breakGlass: Command = {
  name: 'break-glass',
  summary: 'emergency access for hours: add a member policy.yaml breakGlass allows, ending at a UTC time',
  usage: `accessctl break-glass --group NAME --user LOGIN --reason TEXT [--hours N]
                      [--branch] [--issue-form FILE] [--format text|markdown|json] [--dir DIR]

Adds LOGIN to the group as a break-glass member: expires is a UTC time N
hours from now (default and most: policy.yaml breakGlass.maxHours), and the
entry says breakGlass: true. Only the groups and people policy.yaml
breakGlass lists are allowed, and a reason (the incident) is required. A pull
request that does nothing else needs one approval from breakGlass.approvers
(none for the people of breakGlass.withoutApproval); the hourly apply removes
the access when its time is up, and the merge opens a retrospective issue.
The edited file is checked like validate; on any error nothing is written.
--branch commits it on break-glass/<group>/<user>-<time>. --issue-form reads
the fields from an issue written with the break-glass form.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...EDIT_OPTIONS, hours: { type: 'string' } });
    const format = choice('format', values.format, DIFF_FORMATS, 'text');
    const fields = breakGlassFields(values, io);
    const now = instantOf(io.now());

    const base = loadForEdit(values.dir, io.cwd, now, io.stderr, 'break-glass', editDeps());
    if (!base) return EXIT_FINDINGS;
    const policy = base.model.policy.breakGlass;
    if (!policy) return refuse(io, 'break-glass', 'policy.yaml has no breakGlass section, so break-glass is not set up (docs/rules.md#break-glass)');
    const group = findGroup(base, fields.group);
    if (!policy.groups.includes(group.name)) return refuse(
      io,
      'break-glass',
      `policy.yaml breakGlass does not allow "${group.name}"; it allows ${policy.groups.join(', ')}${hint(group.name, policy.groups)}`,
    );
    const login = knownLogin(base, fields.user);
    if (!policy.users.some((u) => foldLogin(u) === foldLogin(login))) return refuse(
      io,
      'break-glass',
      `${login} is not among the people policy.yaml breakGlass.users allows; ask through accessctl request instead`,
    );
    let hours = policy.maxHours;
    if (fields.hours !== undefined) {
      if (!/^[1-9][0-9]?$/.test(fields.hours)) throw new UsageError(`--hours: "${fields.hours}" is not a whole number of hours`);
      hours = Number(fields.hours);
      if (hours > policy.maxHours) return refuse(io, 'break-glass', `${hours} hours is longer than policy.yaml breakGlass.maxHours (${policy.maxHours})`);
    }
    const existing = group.members.find((m) => m.key === foldLogin(login));
    if (existing) {
      const where = `${existing.source.file}:${existing.source.line}`;
      return refuse(io, 'break-glass', isActive(existing, now)
        ? `${existing.login} is already a member of "${group.name}"${existing.expires !== undefined ? ` until ${existing.expires}` : ''} (${where})`
        : `${existing.login}'s expired entry is still in "${group.name}" (${where}): run accessctl expire --write first`);
    }
    const expires = endTime(now, hours);
    const git = values.branch ? prepareBranch(
      io,
      base,
      group,
      `break-glass/${slug(group.name)}/${slug(login.split('@')[0]!)}-${expires.replace(/[-:]/g, '').toLowerCase()}`,
    ) : undefined;

    const src = sourceOf(base, group.source.file);
    let text: string;
    try {
      text = addMember(Buffer.from(src.bytes).toString('utf8'), { login, expires, reason: fields.reason, breakGlass: true });
    } catch (e) {
      if (e instanceof EditError) return refuse(io, 'break-glass', `${group.source.file}: ${e.message}`);
      throw e;
    }
    const changes = new Map([[src.rel, text]]);
    const result = checkEdit(base, changes, now);
    if (!result.diff) {
      io.stderr(formatDiagnosticsText(result.introduced.filter((d) => d.severity === 'error')));
      io.stderr(`break-glass refused: with this change ${base.dir} does not validate (nothing was written)\n`);
      return EXIT_FINDINGS;
    }
    const warnings = result.introduced.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) io.stderr(formatDiagnosticsText(warnings));
    const [written] = writeEdit(base, changes);
    const shown = displayPath(io.cwd, written!);
    const done = `break-glass: add ${login} to ${group.name} until ${expires} (${hours} hour${hours === 1 ? '' : 's'})`;
    if (format === 'text') io.stdout(`${done}\nwrote ${shown}\n\n`);
    if (format === 'markdown') {
      const approvers = policy.withoutApproval.some((u) => foldLogin(u) === foldLogin(login))
        ? 'none needed (policy.yaml breakGlass.withoutApproval)'
        : `one of ${policy.approvers.map((a) => `\`${codeSpan(a)}\``).join(', ')}`;
      io.stdout(`### Break-glass\n\n**${esc(login)}** joins **${esc(group.name)}** until **${expires}** (UTC, ${hours} ` +
          `hour${hours === 1 ? '' : 's'}).\n\n- Reason: ${esc(fields.reason)}\n- Approval: ${approvers}\n- After the merge a retrospective issue is ` +
          `opened for the security team.\n\n`);
    }
    io.stdout(DIFF_REPORTERS[format](result.diff));
    if (git) {
      const message = `Break-glass: ${login} in ${group.name} until ${expires}\n\nReason: ` +
          `${fields.reason}\n${io.env.ACCESSCTL_REQUESTED_BY ? `Requested-by: ${io.env.ACCESSCTL_REQUESTED_BY}\n` : ''}`;
      if (!commitOnBranch(io, git, shown, message, format === 'text')) return EXIT_FINDINGS;
    }
    return EXIT_OK;
  },
};

interface BreakGlassFields {
  readonly group: string;
  readonly user: string;
  readonly reason: string;
  readonly hours?: string;
}

function breakGlassFields(values: Record<string, string | boolean | undefined>, io: Parameters<Command['run']>[1]): BreakGlassFields {
  const formFile = values['issue-form'];
  let raw: Partial<Record<'group' | 'user' | 'reason' | 'hours', string>>;
  if (typeof formFile === 'string') {
    if (['group', 'user', 'reason', 'hours'].some((k) => values[k] !== undefined)) throw new UsageError('--issue-form takes every field from the form: ' +
        'give no other field options');
    const form = parseIssueForm(readIssueForm(formFile, io), BREAK_GLASS_FORM_FIELDS);
    if ('error' in form) throw new UsageError(`--issue-form: ${form.error}`);
    raw = form.values;
  } else {
    raw = Object.fromEntries((['group', 'user', 'reason', 'hours'] as const).filter((k) => typeof values[k] === 'string').map((k) => [k, values[k] as string]));
  }
  const need = (k: 'group' | 'user' | 'reason'): string => {
    const v = raw[k]?.trim();
    if (v === undefined || v === '') throw new UsageError(`--${k} is required${k === 'reason' ? ': break-glass access names its incident or ticket' : ''}`);
    return v;
  };
  const hours = raw.hours?.trim();
  return { group: need('group'), user: need('user'), reason: need('reason'), ...(hours !== undefined && hours !== '' ? { hours } : {}) };
}

/** `hours` after `now`, rounded down to the whole minute (never past the policy's limit), as YYYY-MM-DDTHH:MMZ. */
function endTime(now: string, hours: number): string {
  return `${addHours(now, hours).slice(0, 16)}Z`;
}
