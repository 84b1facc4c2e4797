import { isActive } from '../../model/access';
import { foldLogin } from '../../model/logins';
import { defineRule } from '../rule';
import { highPrivilegeGroups } from './confusable-login';

export default defineRule<Record<string, never>>({
  id: 'high-privilege-member-known',
  title: 'high-privilege members are people of the org',
  severity: 'warning',
  rationale: 'people.yaml is the list of people the org knows. A member of a group that grants a high-privilege permission set who is not in it may be a ' +
      'typo, a look-alike login or someone who left, and nothing ties the access to a person a reviewer can recognise.',
  remediation: 'Add the person to people.yaml, or correct the login.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model, { today }) {
    const known = new Set(model.people.map((p) => foldLogin(p.login)));
    const findings = [];
    for (const [g, sets] of highPrivilegeGroups(model)) {
      for (const m of g.members) {
        if (!isActive(m, today) || known.has(m.key)) continue;
        findings.push({
          subject: `${g.name}|${m.login}`,
          at: m.source,
          message: `member "${m.login}" of "${g.name}" is not in people.yaml, and the group grants high-privilege ${sets.join(', ')}`,
        });
      }
    }
    return findings;
  },
});
