import { isActive } from '../../model/access';
import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'expired-members',
  title: 'no expired memberships left in the files',
  severity: 'warning',
  rationale: 'A member whose expires date has passed no longer has access, but the entry still reads as if they did. Removing it keeps the files equal to ' +
      'reality and the audit trail clear about when access ended. An entry that plan or synth find new since their base revision and already past when ' +
      'that revision was committed is not this warning but error ACC116: it was written already past, almost always with a mistyped year.',
  remediation: 'Run accessctl expire to remove expired members (or delete the entry by hand).',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model, { today }) {
    return model.groups.flatMap((g) =>
      g.members
        .filter((m) => !isActive(m, today))
        .map((m) => ({ subject: `${g.name}|${m.login}`, at: m.source, message: `${m.login}'s membership of "${g.name}" expired on ${m.expires}` })),
    );
  },
});
