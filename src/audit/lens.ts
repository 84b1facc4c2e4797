// audit --action (issue 27): the access events seen through one IAM action.
//
// The walk (walk.ts) hands the lens every access event and, at every readable
// commit, the permission sets as that commit left them. The lens keeps an
// event only when the permission set allowed the action at that moment, adds
// the decision to it, and tells the walk which permission sets' policies the
// commit changed so that their holders became able (or stopped being able)
// to perform it: those holders get an event of their own (cause "policy").
//
// "Able" is the decision allowed, conditional or unknown (as who-can --action
// keeps rows). Each distinct version of a permission set's policies is
// evaluated once: decisions are cached by the policies' content.

import { evaluate, type StatementRef } from '../iam/evaluate';
import { policiesOf } from '../iam/permission-set';
import { foldLogin } from '../model/logins';
import type { PermissionSet } from '../model/types';
import type { ActionAuditEvent, AuditEvent } from './walk';

/** The action asked about, and the resource ("*": every resource). */
export interface ActionQuestion {
  readonly action: string;
  readonly resource: string;
}

/** What an audit --action event adds: what allows the action (for a removal: what allowed it until then), and what made the event. */
export interface ActionDecisionFields {
  readonly decision: 'allowed' | 'conditional' | 'unknown';
  /** The statement that allows it; null when nothing known does (unknown). */
  readonly by: StatementRef | null;
  /** For conditional: the condition keys and policy variables it depends on. */
  readonly conditions: readonly string[];
  /** Customer managed policies whose documents are not known. */
  readonly unknownPolicies: readonly string[];
  /** access: the person gained or lost the permission set on the account (or it lapsed); policy: the permission set's policies changed while they held it. */
  readonly cause: 'access' | 'policy';
}

type Able = Omit<ActionDecisionFields, 'cause'>;

/** What the walk asks of a lens. */
export interface WalkLens {
  /** A readable commit, before its events: its permission sets (asked only when `changed`: files other than groups changed since the last one). */
  commit(permissionSets: () => readonly PermissionSet[], changed: boolean): void;
  /** An event as the walk finds it: the event with its decision, or undefined to leave it out. */
  event(e: AuditEvent, cause: 'access' | 'policy'): ActionAuditEvent | AuditEvent | undefined;
  /** Whether the current commit changed whether some permission set allows the action. */
  policyChanged(): boolean;
  /** For a holder of the permission set since before the current commit: added (now able), removed (no longer) or undefined (no change). */
  policyChange(permissionSet: string): 'added' | 'removed' | undefined;
}

/** The lens of one action: create one per walk. */
export class ActionLens implements WalkLens {
  /** Decisions by policies' content: one evaluation per distinct version of a permission set. */
  private readonly byContent = new Map<string, Able | undefined>();
  /** What each permission set allows, as the last readable commit left them (undefined: not able). */
  private current = new Map<string, Able | undefined>();
  /** During a commit: what they allowed before it. */
  private before: ReadonlyMap<string, Able | undefined> | undefined;
  /** Permission sets whose ability the current commit changed. */
  private changed = new Set<string>();
  /** Access rows that had an event at the current commit (they need no policy event). */
  private touched = new Set<string>();
  /** How many evaluations were made (distinct policy versions). */
  evaluations = 0;

  constructor(readonly question: ActionQuestion) {}

  commit(permissionSets: () => readonly PermissionSet[], changed: boolean): void {
    this.before = this.current;
    this.changed = new Set();
    this.touched = new Set();
    if (!changed) return;
    const next = new Map<string, Able | undefined>();
    for (const ps of permissionSets()) next.set(ps.name, this.decide(ps));
    for (const name of new Set([...this.current.keys(), ...next.keys()])) {
      if ((this.current.get(name) === undefined) !== (next.get(name) === undefined)) this.changed.add(name);
    }
    this.current = next;
  }

  event(e: AuditEvent, cause: 'access' | 'policy'): ActionAuditEvent | undefined {
    const key = `${foldLogin(e.user)}|${e.accountId}|${e.permissionSet}`;
    if (e.commit !== null) {
      if (cause === 'policy' && this.touched.has(key)) return undefined;
      this.touched.add(key);
    }
    // A removal by a commit is judged as things were before it; a grant, and a lapse (between commits), as they are.
    const side = e.action === 'removed' && e.reason === 'commit' && this.before !== undefined ? this.before : this.current;
    const able = side.get(e.permissionSet);
    return able === undefined ? undefined : { ...e, ...able, cause };
  }

  policyChanged(): boolean {
    return this.changed.size > 0;
  }

  policyChange(permissionSet: string): 'added' | 'removed' | undefined {
    if (!this.changed.has(permissionSet)) return undefined;
    return this.current.get(permissionSet) === undefined ? 'removed' : 'added';
  }

  private decide(ps: PermissionSet): Able | undefined {
    const policies = policiesOf(ps);
    const key = JSON.stringify(policies);
    if (this.byContent.has(key)) return this.byContent.get(key);
    this.evaluations++;
    const d = evaluate(this.question, policies);
    const able: Able | undefined = d.decision === 'allowed' || d.decision === 'conditional' || d.decision === 'unknown'
      ? { decision: d.decision, by: d.by ?? null, conditions: [...(d.conditions ?? [])], unknownPolicies: [...(d.unknownPolicies ?? [])] }
      : undefined;
    this.byContent.set(key, able);
    return able;
  }
}
