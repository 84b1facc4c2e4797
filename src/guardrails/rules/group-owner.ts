import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'group-owner',
  title: 'every group has an owner',
  severity: 'error',
  rationale: 'An owner approves every change to the group and answers for who is in it. A group without one is reviewed by nobody in particular, and ' +
      'access in it is never cleaned up.',
  remediation: 'Add owners: [login] to the group file; owners become the CODEOWNERS reviewers of the file.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    return model.groups
      .filter((g) => g.owners.length === 0)
      .map((g) => ({ subject: g.name, at: g.source, message: `group "${g.name}" has no owner` }));
  },
});
