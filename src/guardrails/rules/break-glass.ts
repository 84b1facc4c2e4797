import { foldLogin } from '../../model/logins';
import { addHours, canonicalInstant, isTimedExpiry } from '../../util/dates';
import type { AccessModel } from '../../model/types';
import { defineRule } from '../rule';

/**
 * What is wrong with a break-glass entry under a policy's breakGlass
 * section, on `now`, or undefined when it is allowed: the group and the
 * person allowed, an end time (not a day) at most maxHours away, a reason.
 * The guardrail judges the files by their own policy; the approvals route
 * judges the head's entries by the base's policy (src/approvals/evaluate.ts).
 */
export function breakGlassProblem(
  bg: AccessModel['policy']['breakGlass'],
  m: { group: string; login: string; expires?: string; reason?: string },
  now: string,
): string | undefined {
  if (!bg) return 'policy.yaml has no breakGlass section, so nothing may be granted as break-glass';
  if (!bg.groups.includes(m.group)) return `policy.yaml breakGlass does not allow "${m.group}" (allowed: ${bg.groups.join(', ')})`;
  if (!bg.users.some((u) => foldLogin(u) === foldLogin(m.login))) return `${m.login} is not among the people policy.yaml breakGlass.users allows`;
  if (m.expires === undefined || !isTimedExpiry(m.expires)) return 'break-glass access needs an end time in expires (YYYY-MM-DDTHH:MMZ, UTC), hours away';
  if (m.reason === undefined || m.reason.trim() === '') return 'break-glass access needs a reason (the incident or ticket)';
  const latest = addHours(now, bg.maxHours);
  if (canonicalInstant(m.expires) > latest) return `ends at ${m.expires}, more than ${bg.maxHours} hour${bg.maxHours === 1 ? '' : 's'} from now (latest ` +
      `allowed: ${latest.replace(/:00Z$/, 'Z')})`;
  return undefined;
}

export default defineRule<Record<string, never>>({
  id: 'break-glass',
  title: 'break-glass access is granted only as policy.yaml allows, and for hours',
  severity: 'error',
  rationale: 'Break-glass access merges with one on-call approval (or none, for named people) so that an incident is not held up by the usual reviews. ' +
      'That shortcut is safe only within the limits of policy.yaml breakGlass: the groups it lists, the people it lists, and an end time at most ' +
      'maxHours away.',
  remediation: 'Request the access with accessctl break-glass (it writes an allowed entry), or through the usual review with accessctl request; change ' +
      'policy.yaml breakGlass, in a change the security team approves, to allow more.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model, { today }) {
    const bg = model.policy.breakGlass;
    const findings = [];
    for (const g of model.groups) {
      for (const m of g.members) {
        if (m.breakGlass !== true) continue;
        const subject = `${g.name}|${m.login}`;
        const problem = breakGlassProblem(
          bg,
          {
            group: g.name,
            login: m.login,
            ...(m.expires !== undefined ? { expires: m.expires } : {}),
            ...(m.reason !== undefined ? { reason: m.reason } : {}),
          },
          today,
        );
        if (problem) findings.push({ subject, at: m.source, message: `break-glass member ${m.login} of "${g.name}": ${problem}` });
      }
    }
    return findings;
  },
});
