import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'unused-permission-set',
  title: 'every permission set is granted somewhere',
  severity: 'warning',
  rationale: 'A permission set that no group grants is provisioned for nobody, yet it still has to be reviewed, and it waits to be granted without anyone ' +
      'looking at its policies again.',
  remediation: 'Grant it to a group, or delete its file.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    const used = new Set(model.groups.flatMap((g) => g.grants.map((gr) => gr.permissionSet)));
    return model.permissionSets
      .filter((ps) => !used.has(ps.name))
      .map((ps) => ({ subject: ps.name, at: ps.source, message: `permission set ${ps.name} is not granted by any group` }));
  },
});
