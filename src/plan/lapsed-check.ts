// The expiry run's last check before it applies without a person. Its plans
// take live access to the commit each stack was last applied from, minus what
// lapsed (synth --expiry). A removal that is neither a lapse in that commit
// (the "lapsed" lists synth --expiry writes) nor absent from main is access
// main grants and that was applied after this run read the apply record (or
// whose record was never written): applied unattended, the expiry would take
// it away by accident, so such a plan waits for a person. A removal of access
// nobody's files grant (someone added to an authoritative group directly in
// Okta) is what the files say, and goes ahead.

import { cmp } from '../diagnostics';
import { changeKind, oktaGroupNames, oktaUserLogins, type PlanDocument } from './plan-json';

/** The removal types whose delete an expiry may make, by address prefix (instances `this`). */
const DELETES = ['aws_ssoadmin_account_assignment.this[', 'okta_group_owner.this[', 'okta_app_group_assignment.this['];

/** A plan's stack, as the workflows name its file (plans/<stack>.json). */
export function stackOfPlanFile(name: string): string {
  return name.replace(/^.*\//, '').replace(/\.json$/, '');
}

/**
 * The removals of the plans that `main` (its access facts per stack,
 * accessFacts of its layout today) grants and that are not in
 * `lapsed[stack]`, in words, sorted. Only removals are looked at: anything
 * else already makes a plan more than removals (PlanSummary.removalsOnly).
 */
export function strayRemovals(
  plans: ReadonlyArray<{ name: string; plan: PlanDocument }>,
  lapsed: Readonly<Record<string, readonly string[]>>,
  main: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const out: string[] = [];
  for (const { name, plan } of plans) {
    const stack = stackOfPlanFile(name);
    const lapses = new Set(lapsed[stack] ?? []);
    const granted = main.get(stack) ?? new Set<string>();
    const stray = (fact: string): boolean => !lapses.has(fact) && granted.has(fact);
    const logins = oktaUserLogins(plan);
    const groups = oktaGroupNames(plan);
    for (const rc of plan.resource_changes) {
      if (rc.mode === 'data') continue;
      const kind = changeKind(rc.change.actions);
      if (kind === 'delete' && DELETES.some((p) => rc.address.startsWith(p))) {
        if (stray(rc.address)) out.push(`${stack}: ${rc.address} is deleted; main grants it and it did not lapse`);
      } else if (kind === 'update' && rc.type === 'okta_group_memberships') {
        const after = new Set(usersOf(rc.change.after));
        const group = groups.get(String((rc.change.before as { group_id?: unknown } | null)?.group_id ?? '')) ?? rc.address;
        for (const id of usersOf(rc.change.before).filter((u) => !after.has(u))) {
          const login = logins.get(id) ?? `user ${id}`;
          if (stray(`${rc.address} ${login}`)) out.push(`${stack}: ${login} leaves ${group}; main grants it and it did not lapse`);
        }
      }
    }
  }
  return out.sort(cmp);
}

function usersOf(value: unknown): string[] {
  const users = (value as { users?: unknown } | null)?.users;
  return Array.isArray(users) ? users.filter((u): u is string => typeof u === 'string') : [];
}
