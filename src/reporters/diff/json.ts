import type { RevisionDiff } from '../../diff/revisions';
import { accessJson } from '../access/json';

/**
 * `{"base", "head", "added": [ACCESS…], "removed": [ACCESS…], "changes": [{kind, action, name, …}], "risks": […],
 * "sensitive": [{pattern, account, accountId, change, actions, total, decision, people}], "renames": […]}`
 */
export function formatDiffJson(d: RevisionDiff): string {
  const rev = (r: RevisionDiff['base']) => ({ ref: r.label, ...(r.commit ? { commit: r.commit } : {}), valid: r.model !== undefined });
  return `${JSON.stringify(
    {
      base: rev(d.base),
      head: rev(d.head),
      added: d.diff.added.map(accessJson),
      removed: d.diff.removed.map(accessJson),
      changes: d.diff.changes,
      risks: d.diff.risks,
      sensitive: d.diff.sensitive,
      renames: d.renames.map((r) => ({ kind: r.kind, from: r.from, to: r.to })),
    },
    null,
    2,
  )}\n`;
}
