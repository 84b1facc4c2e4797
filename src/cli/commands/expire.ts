import { EditError, removeExpiredMembers, removeExpiredWaivers, type Removed, type RemovedWaiver } from '../../edit/edits';
import { isActive } from '../../model/access';
import { checkAndWrite, loadForEdit, sourceOf } from '../../edit/session';
import { displayPath } from '../../load/source';
import { DIFF_FORMATS, DIFF_REPORTERS } from '../../reporters/diff';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { dayOf, instantOf, parseDateArg, stillActive } from '../../util/dates';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { editDeps } from '../edit-command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const expire: Command = {
  name: 'expire',
  summary: 'list, or with --write remove, members and waivers whose expires date has passed',
  usage: `accessctl expire [--today DATE] [--write] [--format text|markdown|json] [--dir DIR]

Lists the group members whose expires date is before today (UTC; --today
sets another day) and the waivers of policy.yaml that have expired. With
--write, removes those entries from the files in place (other lines and
comments stay as they are; a comment directly above a removed entry goes with
it), checks the result like validate, writes the changed files together and
prints the access diff (--format markdown for a pull request body). Expired
access has already lapsed: removing it changes no one's effective access.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...DIR_OPTION, ...HELP_OPTION, today: { type: 'string' }, write: { type: 'boolean' }, format: { type: 'string', short: 'f' } },
    );
    const format = choice('format', values.format, DIFF_FORMATS, 'text');
    // `now` judges expiry (break-glass access ends within a day); `today` is what is printed.
    let now = instantOf(io.now());
    if (values.today !== undefined) {
      if (parseDateArg(values.today) === undefined || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(values.today)) throw new UsageError(`--today: "${values.today}" is not a date (YYYY-MM-DD)`);
      now = values.today;
    }
    const today = dayOf(now);
    const base = loadForEdit(values.dir, io.cwd, now, io.stderr, 'expire', editDeps());
    if (!base) return EXIT_FINDINGS;

    const changes = new Map<string, string>();
    const members: Array<Removed & { group: string; file: string }> = [];
    const waivers: Array<RemovedWaiver & { file: string }> = [];
    try {
      for (const g of base.model.groups) {
        if (!g.members.some((m) => !isActive(m, now))) continue;
        const src = sourceOf(base, g.source.file);
        const r = removeExpiredMembers(Buffer.from(src.bytes).toString('utf8'), now);
        if (r.removed.length === 0) continue;
        changes.set(src.rel, r.text);
        members.push(...r.removed.map((x) => ({ ...x, group: g.name, file: src.file })));
      }
      const policy = base.model.policy.source;
      if (policy && base.model.policy.waivers.some((w) => !stillActive(w.expires, now))) {
        const src = sourceOf(base, policy.file);
        const r = removeExpiredWaivers(Buffer.from(src.bytes).toString('utf8'), now);
        if (r.removed.length > 0) {
          changes.set(src.rel, r.text);
          waivers.push(...r.removed.map((x) => ({ ...x, file: src.file })));
        }
      }
    } catch (e) {
      if (e instanceof EditError) {
        io.stderr(`expire: ${e.message} (nothing was written)\n`);
        return EXIT_FINDINGS;
      }
      throw e;
    }

    const listing = [
      ...members.map((m) => `${m.file}: ${m.login} in ${m.group}, expired ${m.expires}`),
      ...waivers.map((w) => `${w.file}: waiver of ${w.rule} for ${w.subject}, expired ${w.expires}`),
    ];
    if (format === 'json' && !values.write) {
      io.stdout(`${JSON.stringify({ today, members, waivers }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (listing.length === 0) {
      if (format === 'json') io.stdout(`${JSON.stringify({ today, members, waivers, written: [] }, null, 2)}\n`);
      else io.stdout(`nothing has expired as of ${today}\n`);
      return EXIT_OK;
    }
    if (!values.write) {
      io.stdout(`${listing.join('\n')}\n${listing.length} expired as of ${today}; run with --write to remove them\n`);
      return EXIT_OK;
    }
    const result = checkAndWrite(base, changes, now, io.stderr, `expire: without the expired entries ${base.dir} does not validate`, formatDiagnosticsText);
    if (!result) return EXIT_FINDINGS;
    const written = result.written.map((f) => displayPath(io.cwd, f));
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ today, members, waivers, written }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (format === 'text') io.stdout(`${listing.join('\n')}\nremoved ${listing.length} expired entr${listing.length === 1 ? 'y' : 'ies'} from ` +
        `${written.join(', ')}\n\n`);
    io.stdout(DIFF_REPORTERS[format](result.diff));
    return EXIT_OK;
  },
};
