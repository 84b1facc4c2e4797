import type { AccessModel, Group } from '../../model/types';
import { defineRule } from '../rule';
import highPrivilegeExpiry, { highPrivilegeSets } from './high-privilege-expiry';

/**
 * The groups that grant a permission set high-privilege-expiry treats as high
 * privilege (with its options from policy.yaml, or its defaults when it is
 * off), each with the sets that make it so.
 */
export function highPrivilegeGroups(model: AccessModel): Map<Group, string[]> {
  const setting = model.policy.rules[highPrivilegeExpiry.id];
  const options = { ...highPrivilegeExpiry.defaults, ...(typeof setting === 'object' ? setting : {}) } as typeof highPrivilegeExpiry.defaults;
  const high = highPrivilegeSets(model, options);
  const out = new Map<Group, string[]>();
  for (const g of model.groups) {
    const sets = [...new Set(g.grants.filter((gr) => high.has(gr.permissionSet) && gr.accountIds.length > 0).map((gr) => gr.permissionSet))].sort();
    if (sets.length > 0) out.set(g, sets);
  }
  return out;
}

/** Scripts told apart (Unicode Script_Extensions); a letter of any other script counts as a script of its own. */
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Georgian', 'Cherokee', 'Ethiopic',
  'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala',
  'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Khmer', 'Mongolian', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo',
  'Canadian_Aboriginal', 'Ogham', 'Runic', 'Coptic', 'Tifinagh', 'Vai', 'Lisu', 'Nko', 'Adlam', 'Osage',
] as const;
const SCRIPT_RES = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script_Extensions=${s}}$`, 'u')] as const);
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
/** UTS #39 augments the script set of Han and of the Japanese and Korean scripts so that mixing them is one script. */
const AUGMENT: Readonly<Record<string, readonly string[]>> = {
  Han: ['Jpan', 'Kore', 'Hanb'], Hiragana: ['Jpan'], Katakana: ['Jpan'], Hangul: ['Kore'], Bopomofo: ['Hanb'],
};

function scriptsOf(ch: string): Set<string> {
  const out = new Set<string>();
  for (const [name, re] of SCRIPT_RES) {
    if (re.test(ch)) {
      out.add(name);
      for (const a of AUGMENT[name] ?? []) out.add(a);
    }
  }
  if (out.size === 0) out.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return out;
}

/** The name of a character's first script, for messages. */
function scriptName(ch: string): string {
  return [...scriptsOf(ch)][0]!.replace('_', ' ');
}

/**
 * Why a part of a login is not single-script in the sense of UTS #39 (its
 * resolved script set, Common and Inherited aside, is empty), or undefined.
 * The local part and each domain label are judged on their own.
 */
export function mixedScripts(login: string): string | undefined {
  const at = login.lastIndexOf('@');
  const parts = at < 0 ? [login] : [login.slice(0, at), ...login.slice(at + 1).split('.')];
  for (const part of parts) {
    let resolved: Set<string> | undefined;
    const chars = [...part].filter((c) => !NEUTRAL.test(c));
    for (const c of chars) {
      const s = scriptsOf(c);
      resolved = resolved === undefined ? s : new Set([...resolved].filter((x) => s.has(x)));
      if (resolved.size === 0) {
        const first = scriptName(chars[0]!);
        const odd = chars.filter((x) => scriptName(x) !== first);
        const shown = [...new Set(odd)].slice(0, 3).map((x) => `"${x}" (${scriptName(x)}, U+${x.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
        return `"${part}" mixes ${first} letters with ${shown.join(', ')}`;
      }
    }
  }
  return undefined;
}

export default defineRule<Record<string, never>>({
  id: 'confusable-login',
  title: 'member logins are written in one script',
  severity: 'warning',
  rationale: 'A login that mixes scripts, such as a Cyrillic "а" among Latin letters, looks the same as another person\'s login in review but is a ' +
      'different Okta user: a reviewer approves "alice" and the access goes to whoever holds the look-alike account. Unicode TS #39 calls a string whose ' +
      'letters share one script (Common and Inherited characters aside) single-script; each part of a login (before the @ and each domain label) must ' +
      'be. In a group that grants a high-privilege permission set this is an error, elsewhere a warning.',
  remediation: 'Retype the login from people.yaml or the Okta admin console; if the person\'s login really mixes scripts, record the exception as a waiver ' +
      'with a reason.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    const high = highPrivilegeGroups(model);
    const findings = [];
    for (const g of model.groups) {
      const sets = high.get(g);
      for (const m of g.members) {
        const why = mixedScripts(m.login);
        if (why === undefined) continue;
        findings.push({
          subject: `${g.name}|${m.login}`,
          at: m.source,
          severity: sets ? ('error' as const) : ('warning' as const),
          message: `member "${m.login}" of "${g.name}" mixes scripts: ${why}${sets ? `; the group grants high-privilege ${sets.join(', ')}` : ''}`,
        });
      }
    }
    return findings;
  },
});
