import { checkPolicy } from '../../iam/check';
import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'inline-policy-lint',
  title: 'inline policies pass the IAM policy checker',
  severity: 'error',
  rationale: 'IAM rejects a malformed policy only when the permission set is provisioned, and silently ignores some mistakes (a misspelled condition key ' +
      'never matches). Grammar problems are errors; risky constructs (iam:PassRole on *, wildcard service prefixes, Allow with NotAction or NotResource) ' +
      'are warnings a reviewer should see.',
  remediation: 'Fix the statement the message points at; accessctl policy-check FILE checks a policy on its own.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    return model.permissionSets.flatMap((ps) => {
      if (ps.inlinePolicy === undefined) return [];
      return checkPolicy(ps.inlinePolicy)
        .filter((f) => f.code !== 'IAM030' && f.code !== 'IAM020')
        .map((f) => ({
          subject: `${ps.name}|${f.code}|${f.path}`,
          at: ps.inlinePolicySource ?? ps.source,
          severity: f.severity,
          message: `${ps.name} inline policy${f.path ? ` at ${f.path}` : ''}: ${f.code} ${f.message}`,
        }));
    });
  },
});
