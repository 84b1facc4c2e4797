import type { Position } from '../../diagnostics';
import type { PolicyFileDocument } from '../../schema/policy';
import type { Typed } from './input';
import type { BreakGlassPolicy, Policy, RuleSetting, Waiver } from '../types';
import { diag, type Diagnostic } from '../../diagnostics';
import { catalogueVersion, expandActions } from '../../aws/action-catalogue';

/** The longest break-glass grant unless policy.yaml breakGlass.maxHours says otherwise. */
export const BREAK_GLASS_DEFAULT_HOURS = 4;

/**
 * Step 8: policy.yaml, the guardrail and approval rules, as the model holds
 * it (an empty policy when there is no file). Its names are checked once the
 * model is built (checkPolicyNames, src/approvals/options.ts).
 */
export function buildPolicy(typed: Typed<PolicyFileDocument> | undefined): Policy {
  if (!typed) return { rules: {}, ruleSources: {}, approvals: {}, approvalSources: {}, waivers: [] };
  const { file, data } = typed;
  const rules: Record<string, RuleSetting> = {};
  const ruleSources: Record<string, Position> = {};
  for (const [k, v] of Object.entries(data.rules ?? {})) {
    rules[k] = v as RuleSetting;
    ruleSources[k] = file.locate(['rules', k], 'key');
  }
  const waivers: Waiver[] = (data.waivers ?? []).map((w, i) => ({
    rule: w.rule,
    subject: w.subject,
    reason: w.reason,
    expires: w.expires,
    ...(w.approvedBy !== undefined ? { approvedBy: w.approvedBy } : {}),
    source: file.locate(['waivers', i]),
  }));
  const approvals: Record<string, RuleSetting> = {};
  const approvalSources: Record<string, Position> = {};
  for (const [k, v] of Object.entries(data.approvals ?? {})) {
    approvals[k] = v as RuleSetting;
    approvalSources[k] = file.locate(['approvals', k], 'key');
  }
  const bg = data.breakGlass;
  const breakGlass: BreakGlassPolicy | undefined = bg && {
    groups: [...bg.groups],
    users: [...bg.users],
    maxHours: bg.maxHours ?? BREAK_GLASS_DEFAULT_HOURS,
    approvers: [...(bg.approvers ?? [])],
    withoutApproval: [...(bg.withoutApproval ?? [])],
    source: file.locate(['breakGlass'], 'key'),
  };
  const sensitiveActions = data.sensitiveActions && { actions: [...data.sensitiveActions], source: file.locate(['sensitiveActions'], 'key') };
  return {
    rules, ruleSources, approvals, approvalSources,
    ...(breakGlass ? { breakGlass } : {}),
    ...(sensitiveActions ? { sensitiveActions } : {}),
    waivers, source: file.locate([]),
  };
}

/**
 * policy.yaml sensitiveActions: an entry that names no action in the shipped
 * catalogue (a typo, a service that does not exist) would silently report
 * nothing, so it is an error at its line. Reads the catalogue only when the
 * list is set.
 */
export function checkSensitiveActions(typed: Typed<PolicyFileDocument> | undefined): Diagnostic[] {
  const list = typed?.data.sensitiveActions;
  if (typed === undefined || list === undefined) return [];
  const out: Diagnostic[] = [];
  list.forEach((pattern, i) => {
    if (expandActions(pattern).length > 0) return;
    out.push(diag('ACC136', typed.file.locate(['sensitiveActions', i]),
      `sensitiveActions: "${pattern}" names no IAM action (action catalogue ${catalogueVersion()})`,
      'write service:Action as the Service Authorization Reference names it, such as iam:PassRole or iam:Create*'));
  });
  return out;
}
