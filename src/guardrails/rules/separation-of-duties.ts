import type { FromSchema } from 'json-schema-to-ts';
import { isActive } from '../../model/access';
import { defineRule } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    pairs: { type: 'array', title: 'pairs of groups', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 } },
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'separation-of-duties',
  title: 'no person in both groups of a conflicting pair',
  severity: 'error',
  rationale: 'Some duties must be held by different people: whoever deploys payments must not also audit them. Each configured pair of groups may share no ' +
      'active member.',
  remediation: 'Remove the person from one of the two groups.',
  options: OPTIONS,
  defaults: { pairs: [] },
  check(model, { options, today }) {
    const groups = new Map(model.groups.map((g) => [g.name, g]));
    const findings = [];
    for (const [a, b] of options.pairs as Array<[string, string]>) {
      const ga = groups.get(a);
      const gb = groups.get(b);
      if (!ga || !gb) {
        const missing = [a, b].filter((n) => !groups.has(n));
        findings.push({
          subject: `${a}+${b}`,
          at: model.policy.ruleSources['separation-of-duties'] ?? model.settings.source,
          message: `separation-of-duties names ${missing.map((n) => `"${n}"`).join(' and ')}, which no group file declares`,
          hint: 'a pair that names a missing group checks nothing: correct the name or remove the pair',
        });
        continue;
      }
      const inA = new Set(ga.members.filter((m) => isActive(m, today)).map((m) => m.key));
      for (const m of gb.members) {
        if (isActive(m, today) && inA.has(m.key)) {
          findings.push({ subject: `${a}+${b}|${m.login}`, at: m.source, message: `${m.login} is in both "${a}" and "${b}", which must not share members` });
        }
      }
    }
    return findings;
  },
});
