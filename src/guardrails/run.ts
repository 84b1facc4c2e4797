import { cmp, diag, type Diagnostic } from '../diagnostics';
import { stillActive } from '../util/dates';
import type { AccessModel, RuleSetting, Source, Waiver } from '../model/types';
import { RULES } from './registry';
import type { Finding, Rule } from './rule';

/** A finding a waiver accepted: reported apart from errors and warnings. */
export interface WaivedFinding {
  readonly rule: string;
  readonly subject: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  readonly expires: string;
  readonly approvedBy?: string;
  readonly waiver: Source;
}

export interface GuardrailResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly waived: readonly WaivedFinding[];
}

/** The options a rule runs with: its defaults, then policy.yaml; undefined when the rule is off. */
export function ruleOptions(rule: Rule<Record<string, unknown>>, setting: RuleSetting | undefined): Record<string, unknown> | undefined {
  if (setting === false) return undefined;
  const own = setting === undefined || setting === true ? {} : setting;
  return { ...rule.defaults, ...own };
}

/**
 * Runs every enabled rule over the model. A rule that throws becomes an error
 * finding (fail closed). Waivers that match a finding move it to `waived`;
 * expired and unused waivers are warned about.
 */
export function runGuardrails(model: AccessModel, today: string, rules: readonly Rule<Record<string, unknown>>[] = RULES): GuardrailResult {
  const diagnostics: Diagnostic[] = [];
  const waived: WaivedFinding[] = [];
  const waivers = new Map<string, Waiver>();
  for (const w of model.policy.waivers) waivers.set(`${w.rule}\u0000${w.subject}`, w);
  const used = new Set<Waiver>();
  const fallback = model.policy.source ?? model.settings.source;

  for (const rule of rules) {
    const setting = model.policy.rules[rule.id];
    const options = ruleOptions(rule, setting);
    if (options === undefined) continue;
    const configured = typeof setting === 'object' && typeof setting.severity === 'string' ? (setting.severity as 'error' | 'warning') : undefined;
    let findings: Finding[];
    try {
      findings = rule.check(model, { options, today });
    } catch (e) {
      const at = model.policy.ruleSources[rule.id] ?? fallback;
      diagnostics.push({
        file: at.file,
        line: at.line,
        column: at.column,
        code: rule.id,
        severity: 'error',
        subject: '*',
        message: `rule ${rule.id} failed, so its findings are unknown: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'this is a bug in accessctl: please report it; the rule fails closed until it is fixed',
      });
      continue;
    }
    for (const f of findings) {
      const w = waivers.get(`${rule.id}\u0000${f.subject}`);
      if (w && stillActive(w.expires, today)) {
        used.add(w);
        waived.push({
          rule: rule.id, subject: f.subject, message: f.message, file: f.at.file, line: f.at.line, column: f.at.column,
          reason: w.reason, expires: w.expires, waiver: w.source, ...(w.approvedBy !== undefined ? { approvedBy: w.approvedBy } : {}),
        });
        continue;
      }
      diagnostics.push({
        code: rule.id,
        severity: configured ?? f.severity ?? rule.severity,
        file: f.at.file,
        line: f.at.line,
        column: f.at.column,
        message: f.message,
        hint: f.hint ?? rule.remediation,
        subject: f.subject,
      });
    }
  }

  for (const w of model.policy.waivers) {
    if (!stillActive(w.expires, today)) {
      diagnostics.push(diag('ACC070', w.source, `the waiver of ${w.rule} for "${w.subject}" expired on ${w.expires}`, 'renew it with a reason if the ' +
          'exception still holds; until then the finding is reported'));
    } else if (!used.has(w)) {
      diagnostics.push(diag(
        'ACC071',
        w.source,
        `the waiver of ${w.rule} for "${w.subject}" matches no finding`,
        'remove it, or correct the subject to the one validate prints',
      ));
    }
  }
  waived.sort((a, b) => cmp(a.rule, b.rule) || cmp(a.subject, b.subject));
  return { diagnostics, waived };
}
