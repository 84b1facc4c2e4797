// Approval rules: who must approve a pull request before its access change
// may merge. Each rule is one file under rules/, named after its id, and
// turns the facts of one change into requirements ("one approval from an
// owner of aws-payments-admins"). Whose approval counts at all is not a rule:
// nobody counts for a change that grants them access or that they asked for
// or pushed (see evaluate.ts).
import type { RuleOptionsSchema } from '../guardrails/rule';
import type { Code } from '../codes';
import type { AccessModel } from '../model/types';
import type { ChangeFacts } from './facts';

/** What one rule asks of a change: `count` distinct approvals from these people or teams. */
export interface Requirement {
  readonly rule: string;
  /** Names the requirement stably: a group name, "high-privilege", "shared-files". */
  readonly subject: string;
  /** Who must approve, in words: "an owner of aws-payments-admins". */
  readonly who: string;
  /** Why this change needs them. */
  readonly why: string;
  /** GitHub handles without @, sorted. */
  readonly users: readonly string[];
  /** Teams as @org/slug, sorted. */
  readonly teams: readonly string[];
  readonly count: number;
  /** Any reviewer whose approval counts may satisfy it (users and teams are then empty). */
  readonly anyReviewer?: boolean;
}

/** A name a rule's options refer to, checked against the files (groups, people, teams, accounts, permission sets) with its place in policy.yaml. */
export interface OptionReference {
  readonly kind: 'group' | 'approver' | 'account' | 'permission-set';
  readonly value: string;
  /** The path below approvals.<rule id>. */
  readonly path: readonly (string | number)[];
}

/** Something wrong with a rule's options, reported as `code` at its place in policy.yaml. */
export interface OptionProblem {
  readonly code: Code;
  /** The path below approvals.<rule id>. */
  readonly path: readonly (string | number)[];
  /** Point at the key (a mapping key such as a path glob) rather than the value. */
  readonly at?: 'key' | 'value';
  readonly message: string;
  readonly hint?: string;
}

export interface ApprovalRule<O = unknown> {
  readonly id: string;
  readonly title: string;
  /** Rules that are on unless policy.yaml turns them off; the others are off until configured. */
  readonly onByDefault: boolean;
  readonly rationale: string;
  /** What a reviewer or author does when the rule is not met. */
  readonly remediation: string;
  /** JSON Schema of the rule's options under policy.yaml approvals.<id>. */
  readonly options: RuleOptionsSchema;
  readonly defaults: O;
  /** Names in the options that must exist (unknown ones are errors at their line). */
  references?(options: O): OptionReference[];
  /** Anything else wrong with the options given the files (a selector that matches nothing, a glob it may not name): errors at their line. */
  problems?(options: O, model: AccessModel): OptionProblem[];
  /** Pure: the facts of one change in, what it needs out. */
  requirements(facts: ChangeFacts, options: O): Requirement[];
}

export function defineApprovalRule<O>(rule: ApprovalRule<O>): ApprovalRule<O> {
  return rule;
}
