import { foldLogin } from '../../model/logins';
import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'owner-known',
  title: 'owners are people of the org',
  severity: 'error',
  rationale: 'An owner must be someone the org knows: listed in people.yaml or a member of some group. An owner who left, or a typo, leaves the group ' +
      'without a reviewer.',
  remediation: 'Correct the login, or add the person to people.yaml.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    const known = new Set<string>([...model.people.map((p) => foldLogin(p.login)), ...model.groups.flatMap((g) => g.members.map((m) => m.key))]);
    return model.groups.flatMap((g) =>
      g.owners
        .filter((o) => !known.has(foldLogin(o.login)))
        .map((o) => ({
          subject: `${g.name}|${o.login}`,
          at: o.source,
          message: `owner "${o.login}" of "${g.name}" is neither in people.yaml nor a member of any group`,
        })),
    );
  },
});
