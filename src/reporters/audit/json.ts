import type { AuditReport } from './types';

/**
 * `{"events": [{commit, date, author, authorEmail, committer, committerEmail, pr, direct, action, reason,
 * user, account, accountId, permissionSet, via, expires?, breakGlass?}], "unreadable": […], "directPushes":
 * […], "commits": N}`; with --action, `"question": {action, resource}` and each event also has
 * decision, by, conditions, unknownPolicies and cause (src/audit/lens.ts).
 */
export function formatAuditJson(r: AuditReport): string {
  return `${JSON.stringify(
    {
      events: r.events,
      unreadable: r.unreadable.map((u) => ({ ...u, diagnostics: u.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`) })),
      directPushes: r.directPushes,
      commits: r.commits,
      range: r.range,
      ...(r.question ? { question: r.question } : {}),
    },
    null,
    2,
  )}\n`;
}
