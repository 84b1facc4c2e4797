import { plural } from '../util/plural';
import type { Layout } from './layout';

const count = (r: object): number => Object.keys(r).length;

/** One line per stack saying what it holds, in plain words. */
export function summarizeLayout(layout: Layout): Array<{ stack: string; text: string }> {
  const o = layout.okta;
  const okta = [
    plural(count(o.groups), 'group'),
    plural(Object.values(o.memberships).reduce((n, m) => n + m.logins.length, 0), 'membership'),
    plural(count(o.owners), 'owner'),
  ];
  if (o.awsApp) {
    const a = o.awsApp;
    okta.push(`AWS app assigned to ${a.assignmentGroup.name} ` +
        `(${`${a.assignmentGroup.logins.length} ${a.assignmentGroup.logins.length === 1 ? 'person' : 'people'}`}), ${plural(a.groups.length, 'group')} ` +
        `${a.push.length > 0 ? 'pushed' : 'to push by hand'}${a.provisioning ? ', user provisioning on' : ''}${a.requireMfa ? ', MFA required' : ''}`);
  }
  if (count(o.appAssignments) > 0) okta.push(plural(count(o.appAssignments), 'other app assignment'));
  if (o.moved.length > 0) okta.push(plural(o.moved.length, 'moved block'));
  const lines: Array<{ stack: string; text: string }> = [{ stack: o.stack, text: okta.join(', ') }];
  if (layout.oktaScim) lines.push({ stack: layout.oktaScim.stack, text: `SCIM connection of the ${layout.oktaScim.appKey} app (token issued ` +
      `${layout.oktaScim.tokenIssued}): planned and applied by the apply job only` });
  for (const a of layout.aws) {
    const parts: string[] = [];
    if (a.shard === undefined) {
      parts.push(plural(count(a.permissionSets), 'permission set'));
      parts.push(plural(count(a.managedPolicyAttachments) + count(a.customerManagedPolicyAttachments), 'policy attachment'));
      if (count(a.inlinePolicies) > 0) parts.push(`${count(a.inlinePolicies)} inline ${count(a.inlinePolicies) === 1 ? 'policy' : 'policies'}`);
    }
    parts.push(plural(count(a.assignments), 'account assignment'));
    if (a.newGroups.length > 0) parts.push(`${plural(a.newGroups.length, 'new group')} may wait for the SCIM push`);
    if (a.moved.length > 0) parts.push(plural(a.moved.length, 'moved block'));
    lines.push({ stack: a.stack, text: parts.join(', ') });
  }
  return lines;
}
