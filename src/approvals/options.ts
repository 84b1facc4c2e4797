// policy.yaml approvals and breakGlass against the rest of the files: every
// group, person and team they name must exist, so that a typo cannot leave a
// rule that nobody can ever satisfy, or one that silently matches nothing.
import { diag, type Diagnostic } from '../diagnostics';
import type { YamlFile } from '../load/parse';
import { foldLogin } from '../model/logins';
import type { AccessModel, RuleSetting } from '../model/types';
import { didYouMean } from '../util/suggest';
import { GITHUB_TEAM } from '../github/api';
import { knownTeams } from './approvers';
import { APPROVAL_RULES } from './registry';
import type { ApprovalRule } from './rule';

/** The options of an approval rule, or undefined when it is off. */
export function approvalOptions(rule: ApprovalRule<Record<string, unknown>>, setting: RuleSetting | undefined): Record<string, unknown> | undefined {
  if (setting === false) return undefined;
  if (setting === undefined && !rule.onByDefault) return undefined;
  const own = setting === undefined || setting === true ? {} : setting;
  return { ...rule.defaults, ...own };
}

/** Diagnostics for names in policy.yaml approvals and breakGlass that the files do not declare. */
/** People are checked only when there is a people.yaml (as group owners are). */
export function checkPolicyNames(file: YamlFile, model: AccessModel, hasPeople: boolean, brokenGroup: (name: string) => boolean = () => false): Diagnostic[] {
  const out: Diagnostic[] = [];
  const groups = new Set(model.groups.map((g) => g.name));
  const people = new Map(model.people.map((p) => [foldLogin(p.login), p]));
  const teams = knownTeams(model);
  const group = (name: string, path: readonly (string | number)[]): void => {
    if (!groups.has(name) && !brokenGroup(name)) out.push(diag(
      'ACC072',
      file.locate(path, typeof path[path.length - 1] === 'string' && path[0] === 'approvals' ? 'key' : 'value'),
      `policy.yaml names the group "${name}", which no group file declares${didYouMean(name, groups)}`,
      'name a group of access/groups/, as its file declares it',
    ));
  };
  const person = (login: string, path: readonly (string | number)[], needsHandle: boolean): void => {
    if (!hasPeople) return;
    const p = people.get(foldLogin(login));
    if (!p) out.push(diag('ACC074', file.locate(path), `policy.yaml names "${login}", who is not in ` +
        `people.yaml${didYouMean(login, model.people.map((x) => x.login))}`, 'add them to people.yaml with their GitHub handle'));
    else if (needsHandle && p.github === undefined) out.push(diag('ACC074', file.locate(path), `approver "${login}" has no GitHub handle in people.yaml, ` +
        `so their approval could never be recognised`, 'add github: <handle> to their people.yaml entry'));
  };
  const approver = (ref: string, path: readonly (string | number)[]): void => {
    if (ref.startsWith('@')) {
      if (!GITHUB_TEAM.test(ref)) out.push(diag('ACC073', file.locate(path), `"${ref}" is not a GitHub team (@org/team)`, 'write a team as @org/team, or a ' +
          'person as their Okta login'));
      else if (!teams.has(ref.toLowerCase())) out.push(diag('ACC073', file.locate(path), `policy.yaml names the team ${ref}, which settings.yaml does not ` +
          `declare${didYouMean(ref, [...teams])}`, 'list it under settings.yaml github.teams (or set it as github.securityTeam)'));
    } else person(ref, path, true);
  };

  const accountNames = model.accounts.map((a) => a.name);
  const accountKnown = new Set([...accountNames, ...model.accounts.map((a) => a.id)]);
  const account = (ref: string, path: readonly (string | number)[]): void => {
    const byId = /^[0-9]{12}$/.test(ref);
    if (!accountKnown.has(ref)) out.push(diag('ACC130', file.locate(path), `policy.yaml names the ${byId ? 'account id' : 'account'} "${ref}", which ` +
        `accounts.yaml does not declare${didYouMean(
          ref,
          byId ? model.accounts.map((a) => a.id) : accountNames,
        )}`, 'name an account of accounts.yaml, or its 12-digit id in quotes'));
  };
  const setNames = model.permissionSets.map((p) => p.name);
  const permissionSet = (name: string, path: readonly (string | number)[]): void => {
    if (!setNames.includes(name)) out.push(diag('ACC131', file.locate(path), `policy.yaml names the permission set "${name}", which no permission set file ` +
        `declares${didYouMean(name, setNames)}`, 'name a permission set of access/permission-sets/, as its file declares it'));
  };

  for (const rule of APPROVAL_RULES) {
    const options = approvalOptions(rule, model.policy.approvals[rule.id]);
    if (!options) continue;
    for (const r of rule.references?.(options) ?? []) {
      const path = ['approvals', rule.id, ...r.path];
      if (r.kind === 'group') group(r.value, path);
      else if (r.kind === 'account') account(r.value, path);
      else if (r.kind === 'permission-set') permissionSet(r.value, path);
      else approver(r.value, path);
    }
    for (const p of rule.problems?.(options, model) ?? []) out.push(diag(p.code, file.locate(['approvals', rule.id, ...p.path], p.at), p.message, p.hint));
  }
  const bg = model.policy.breakGlass;
  if (bg) {
    bg.groups.forEach((g, i) => group(g, ['breakGlass', 'groups', i]));
    bg.users.forEach((u, i) => person(u, ['breakGlass', 'users', i], false));
    bg.approvers.forEach((a, i) => approver(a, ['breakGlass', 'approvers', i]));
    const users = new Set(bg.users.map(foldLogin));
    bg.withoutApproval.forEach((u, i) => {
      if (!users.has(foldLogin(u))) out.push(diag('ACC075', file.locate(['breakGlass', 'withoutApproval', i]), `"${u}" may merge break-glass access ` +
          `without approval but is not among breakGlass.users`, 'add them to breakGlass.users, or remove them here'));
    });
    if (bg.approvers.length === 0 && bg.withoutApproval.length === 0) {
      out.push(diag('ACC075', file.locate(['breakGlass'], 'key'), 'breakGlass names no approvers and nobody who needs none: break-glass changes would need ' +
          'the usual approvals, which is not break-glass', 'list the on-call approvers under breakGlass.approvers'));
    }
  }
  return out;
}
