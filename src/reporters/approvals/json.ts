import type { Verdict } from '../../approvals/evaluate';

export function formatApprovalsJson(v: Verdict): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}
