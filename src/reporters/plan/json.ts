import type { PlanSummary } from '../../plan/summary';

/**
 * `{"ok", "removalsOnly", "plans", "counts", "revocations", "existing", "limit", "rails": [...],
 * "pendingScimGroups", "sensitive": [{pattern, account, accountId, change, actions, total, decision, people}],
 * "changes": [{plan, address, type, action, words, revocations}]}`
 */
export function formatPlanJson(s: PlanSummary): string {
  return `${JSON.stringify(
    {
      ok: s.ok,
      removalsOnly: s.removalsOnly,
      plans: s.plans,
      counts: s.counts,
      revocations: s.revocations,
      existing: s.existing,
      limit: s.limit,
      rails: s.rails,
      pendingScimGroups: s.pendingScimGroups,
      sensitive: s.sensitive,
      changes: s.items.map((i) => ({ plan: i.plan, address: i.address, type: i.type, action: i.kind, words: i.words, revocations: i.revocations })),
    },
    null,
    2,
  )}\n`;
}
