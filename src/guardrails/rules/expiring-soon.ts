import type { FromSchema } from 'json-schema-to-ts';
import { isActive } from '../../model/access';
import { addDays, dayOf, daysBetween, stillActive } from '../../util/dates';
import { defineRule } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    days: { type: 'integer', title: 'days of notice', minimum: 1, maximum: 365 },
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'expiring-soon',
  title: 'temporary access and waivers that end soon are announced',
  severity: 'warning',
  rationale: 'Temporary access ends on its expires date without further notice, and so does a waiver (break-glass access, which lasts hours on purpose, is ' +
      'not announced). A warning in every validation during the last days gives the member and the owner time to renew through a reviewed change instead ' +
      'of finding out when access is gone.',
  remediation: 'Nothing, if the access should end. To keep it, renew it: accessctl request --group G --user U --expires DATE --reason TEXT (or a new ' +
      'expires date on the waiver).',
  options: OPTIONS,
  defaults: { days: 14 },
  check(model, { options, today }) {
    const limit = addDays(today, options.days);
    const soon = (expires: string): boolean => stillActive(expires, today) && dayOf(expires) < limit;
    const left = (expires: string): string => {
      const n = daysBetween(today, expires);
      return n === 0 ? 'today is the last day' : `${n} day${n === 1 ? '' : 's'} left`;
    };
    return [
      ...model.groups.flatMap((g) =>
        g.members
          .filter((m) => m.expires !== undefined && m.breakGlass !== true && isActive(m, today) && soon(m.expires))
          .map((m) => ({
            subject: `${g.name}|${m.login}`,
            at: m.source,
            message: `${m.login}'s membership of "${g.name}" ends after ${m.expires} (${left(m.expires!)})`,
          }))),
      ...model.policy.waivers
        .filter((w) => soon(w.expires))
        .map((w) => ({
          subject: `waiver|${w.rule}|${w.subject}`,
          at: w.source,
          message: `the waiver of ${w.rule} for ${w.subject} ends after ${w.expires} (${left(w.expires)})`,
        })),
    ];
  },
});
