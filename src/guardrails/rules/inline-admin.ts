import type { FromSchema } from 'json-schema-to-ts';
import { grantsFullAdmin } from '../../iam/check';
import { defineRule } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    allow: { type: 'array', title: 'permission sets allowed to do so', items: { type: 'string' }, uniqueItems: true },
  },
} as const;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'inline-admin',
  title: 'no inline policy allows * on *',
  severity: 'error',
  rationale: 'An inline policy that allows every action on every resource is an administrator permission set in disguise: reviewers look for ' +
      'AdministratorAccess, not for a statement deep in a YAML file.',
  remediation: 'Attach AdministratorAccess openly if full administration is intended (high-privilege rules then apply), or narrow the actions and ' +
      'resources; list deliberate exceptions under allow.',
  options: OPTIONS,
  defaults: { allow: [] },
  check(model, { options }) {
    const allow = new Set(options.allow);
    return model.permissionSets
      .filter((ps) => ps.inlinePolicy !== undefined && !allow.has(ps.name) && grantsFullAdmin(ps.inlinePolicy))
      .map((ps) => ({
        subject: ps.name,
        at: ps.inlinePolicySource ?? ps.source,
        message: `the inline policy of ${ps.name} allows every action on every resource`,
      }));
  },
});
