import { addGrant, addMember, EditError, renewMember } from '../../edit/edits';
import { FORM_FIELDS, parseIssueForm, type FormValues } from '../../edit/issue-form';
import { checkEdit, loadForEdit, sourceOf, writeEdit } from '../../edit/session';
import { displayPath } from '../../load/source';
import { foldLogin } from '../../model/logins';
import { DIFF_FORMATS, DIFF_REPORTERS } from '../../reporters/diff';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { parseExpiry, instantOf } from '../../util/dates';
import { choice, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { commitOnBranch, EDIT_OPTIONS, editDeps, findGroup, hint, knownLogin, prepareBranch, readIssueForm, refuse, slug } from '../edit-command';

export const request: Command = {
  name: 'request',
  summary: 'ask for access: add a member (or a grant) to a group file, checked, with the access diff',
  usage: `accessctl request --group NAME --user LOGIN [--expires DATE|Nd|Nw] [--reason TEXT]
accessctl request --group NAME --permission-set NAME --account NAME|ID
                  [--branch] [--issue-form FILE] [--format text|markdown|json] [--dir DIR]

Adds LOGIN to the members of the group, or the account to the group's grant
of the permission set, by editing the group file in place: comments, order and
formatting stay as they are. A member already there with an earlier expires
date is renewed. The edited files are checked like validate (schemas,
references, guardrails); when the result has an error nothing is written.
Prints the access diff (--format markdown for a pull request body).
--expires takes a date (the last day of access) or a duration from today
(7d, 2w). --branch creates the branch access-request/<group>/<user> and
commits the change with the reason in its message. --issue-form reads the
fields from the body of an issue written with the access request form.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...EDIT_OPTIONS, expires: { type: 'string' }, 'permission-set': { type: 'string' }, account: { type: 'string' } },
    );
    const format = choice('format', values.format, DIFF_FORMATS, 'text');
    const today = instantOf(io.now());
    const fields = requestFields(values, io);
    if (fields.group === undefined) throw new UsageError('--group is required');
    if (fields.user === undefined && fields.permissionSet === undefined && fields.account === undefined) {
      throw new UsageError('say what to add: --user LOGIN, or --permission-set NAME with --account NAME');
    }
    if ((fields.permissionSet === undefined) !== (fields.account === undefined)) throw new UsageError('--permission-set and --account go together');
    if (fields.user === undefined && (fields.expires !== undefined || fields.reason !== undefined)) {
      throw new UsageError('--expires and --reason belong to a member: give --user too');
    }
    let expires: string | undefined;
    if (fields.expires !== undefined) {
      const e = parseExpiry(fields.expires, today);
      if ('error' in e) throw new UsageError(`--expires: ${e.error}`);
      expires = e.date;
    }

    const base = loadForEdit(values.dir, io.cwd, today, io.stderr, 'request', editDeps());
    if (!base) return EXIT_FINDINGS;
    const group = findGroup(base, fields.group);
    const who = fields.user !== undefined ? fields.user.split('@')[0]! : `${fields.permissionSet}-${fields.account}`;
    const git = values.branch ? prepareBranch(io, base, group, `access-request/${slug(group.name)}/${slug(who)}`) : undefined;

    let text = Buffer.from(sourceOf(base, group.source.file).bytes).toString('utf8');
    const done: string[] = [];
    try {
      if (fields.user !== undefined) {
        const login = knownLogin(base, fields.user);
        const existing = group.members.find((m) => m.key === foldLogin(login));
        if (existing) {
          const where = `${existing.source.file}:${existing.source.line}`;
          if (existing.expires === undefined) return refuse(io, 'request', `${existing.login} is already a member of "${group.name}" (${where})`);
          if (expires === undefined) return refuse(
            io,
            'request',
            `${existing.login} is a member of "${group.name}" until ${existing.expires} (${where}); to extend it give a later --expires`,
          );
          if (expires <= existing.expires) return refuse(
            io,
            'request',
            `${existing.login} is already a member of "${group.name}" until ${existing.expires} (${where}), not earlier than ${expires}`,
          );
          text = renewMember(text, existing.login, expires, fields.reason);
          done.push(`renew ${existing.login} in ${group.name} until ${expires} (was ${existing.expires})`);
        } else {
          text = addMember(text, { login, ...(expires !== undefined ? { expires } : {}), ...(fields.reason !== undefined ? { reason: fields.reason } : {}) });
          done.push(`add ${login} to ${group.name}${expires !== undefined ? ` until ${expires}` : ''}`);
        }
      }
      if (fields.permissionSet !== undefined && fields.account !== undefined) {
        const ps = base.model.permissionSets.find((p) => p.name === fields.permissionSet);
        if (!ps) throw new UsageError(`--permission-set: no permission set ` +
            `"${fields.permissionSet}"${hint(fields.permissionSet, base.model.permissionSets.map((p) => p.name))}`);
        const account = base.model.accounts.find((a) => a.name === fields.account || a.id === fields.account);
        if (!account) throw new UsageError(`--account: no account "${fields.account}"${hint(fields.account, base.model.accounts.map((a) => a.name))}`);
        const holding = group.grants.find((g) => g.permissionSet === ps.name && g.accountIds.includes(account.id));
        if (holding) return refuse(
          io,
          'request',
          `"${group.name}" already grants ${ps.name} on ${account.name} (${holding.source.file}:${holding.source.line})`,
        );
        text = addGrant(text, ps.name, account.name);
        done.push(`grant ${ps.name} on ${account.name} to ${group.name}`);
      }
    } catch (e) {
      if (e instanceof EditError) return refuse(io, 'request', `${group.source.file}: ${e.message}`);
      throw e;
    }

    const rel = sourceOf(base, group.source.file).rel;
    const changes = new Map([[rel, text]]);
    const result = checkEdit(base, changes, today);
    if (!result.diff) {
      io.stderr(formatDiagnosticsText(result.introduced.filter((d) => d.severity === 'error')));
      io.stderr(`request refused: with this change ${base.dir} does not validate (nothing was written)\n`);
      return EXIT_FINDINGS;
    }
    const warnings = result.introduced.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) io.stderr(formatDiagnosticsText(warnings));

    const [written] = writeEdit(base, changes);
    const shown = displayPath(io.cwd, written!);
    if (format === 'text') io.stdout(`${done.join('; ')}\nwrote ${shown}\n\n`);
    io.stdout(DIFF_REPORTERS[format](result.diff));
    if (git) {
      if (!commitOnBranch(io, git, shown, commitMessage(done, fields, io), format === 'text')) return EXIT_FINDINGS;
    }
    return EXIT_OK;
  },
};

interface Fields {
  group?: string;
  user?: string;
  expires?: string;
  reason?: string;
  permissionSet?: string;
  account?: string;
}

function requestFields(values: Record<string, string | boolean | undefined>, io: Io): Fields {
  const flags: Fields = {
    ...(typeof values.group === 'string' ? { group: values.group } : {}),
    ...(typeof values.user === 'string' ? { user: values.user } : {}),
    ...(typeof values.expires === 'string' ? { expires: values.expires } : {}),
    ...(typeof values.reason === 'string' ? { reason: values.reason } : {}),
    ...(typeof values['permission-set'] === 'string' ? { permissionSet: values['permission-set'] } : {}),
    ...(typeof values.account === 'string' ? { account: values.account } : {}),
  };
  const formFile = values['issue-form'];
  if (typeof formFile !== 'string') return normalize(flags);
  if (Object.keys(flags).length > 0) throw new UsageError('--issue-form takes every field from the form: give no other field options');
  const form = parseIssueForm(readIssueForm(formFile, io));
  if ('error' in form) throw new UsageError(`--issue-form: ${form.error}`);
  if (form.values.group === undefined) throw new UsageError(`--issue-form: the field "${FORM_FIELDS.group}" is empty`);
  return normalize(form.values as FormValues & Fields);
}

function normalize(f: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(f) as [keyof Fields, string | undefined][]) {
    if (v === undefined) continue;
    const t = v.trim();
    if (t === '') throw new UsageError(`--${k === 'permissionSet' ? 'permission-set' : k} is empty`);
    out[k] = t;
  }
  return out;
}







function commitMessage(done: readonly string[], fields: Fields, io: Io): string {
  const subject = `Access request: ${done.join('; ')}`;
  const body = [
    ...(fields.reason !== undefined ? [`Reason: ${fields.reason}`] : []),
    ...(io.env.ACCESSCTL_REQUESTED_BY ? [`Requested-by: ${io.env.ACCESSCTL_REQUESTED_BY}`] : []),
  ];
  return body.length > 0 ? `${subject}\n\n${body.join('\n')}\n` : `${subject}\n`;
}
