import type { FromSchema } from 'json-schema-to-ts';
import { durationSeconds, formatSeconds } from '../../util/duration';
import { defineRule } from '../rule';

const AWS_DEFAULT_SESSION_SECONDS = 3600;

const OPTIONS = {
  type: 'object',
  properties: {
    tag: { type: 'string', title: 'account tag key', minLength: 1, maxLength: 128 },
  },
  additionalProperties: {
    type: 'string',
    title: 'maximum session duration',
    description: 'an ISO 8601 duration such as PT1H',
    pattern: '^PT(?=[0-9])([0-9]{1,2}H)?([0-9]{1,3}M)?$',
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'max-session-duration',
  title: 'sessions on tagged accounts stay short',
  severity: 'error',
  rationale: 'A stolen or forgotten session keeps its access until it ends. On production accounts the session duration of every permission set is capped; ' +
      'accounts are matched by a tag (env by default) and each tag value gets its own cap.',
  remediation: 'Lower sessionDuration of the permission set, or grant a shorter-lived permission set on those accounts.',
  options: OPTIONS,
  defaults: { tag: 'env', prod: 'PT4H' },
  check(model, { options }) {
    const tag = options.tag;
    const limits = Object.entries(options).filter(([k]) => k !== 'tag' && k !== 'severity') as Array<[string, string]>;
    const accounts = new Map(model.accounts.map((a) => [a.id, a]));
    return model.permissionSets.flatMap((ps) => {
      const seconds = ps.sessionSeconds ?? AWS_DEFAULT_SESSION_SECONDS;
      return limits.flatMap(([value, limit]) => {
        const max = durationSeconds(limit);
        if (max === undefined || seconds <= max) return [];
        const where = model.assignments.filter((a) => a.permissionSet === ps.name && accounts.get(a.accountId)?.tags[tag] === value);
        if (where.length === 0) return [];
        const names = [...new Set(where.map((a) => a.accountName))].sort();
        const groups = [...new Set(where.map((a) => a.group))].sort();
        return [{
          subject: `${ps.name}|${value}`,
          at: ps.sessionDurationSource ?? ps.source,
          message: `${ps.name} lasts ${formatSeconds(seconds)} but is granted on ${tag}=${value} accounts (${names.join(', ')}) by ${groups.join(', ')}; ` +
              `the limit there is ${formatSeconds(max)}`,
        }];
      });
    });
  },
});
