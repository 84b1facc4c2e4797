/**
 * Step 5: groups/**.yaml. Each group file is resolved against the names the
 * other files declare (people, apps, permission sets, accounts); its grants
 * become assignments (./assignments.ts).
 */
import { diag, cmp, type Diagnostic } from '../../diagnostics';
import type { YamlFile } from '../../load/parse';
import type { GroupDocument } from '../../schema/group';
import { didYouMean } from '../../util/suggest';
import { foldLogin } from '../logins';
import type { ResolveInput } from './input';
import type { Grant, Group, Member } from '../types';
import { resolveAccountSelector, type AccountIndex } from './accounts';
import { addAssignments, type Assignments } from './assignments';
import { at, checkFileName, shadowed, sortByFile, where, type ResolveContext } from './context';
import type { LoginSpellings } from './login-spellings';
import type { PeopleIndex } from './people';
import type { PermissionSetIndex } from './permission-sets';
import type { AppIndex } from './settings';

const RESERVED_GROUP_NAMES = ['administrator', 'awsadministrators'];

/** What a group file refers to: everything the other files declare. Kept after resolve, to resolve more group files. */
export interface GroupReferences {
  /** Which of the other files are present, and which failed validation. */
  readonly input: ResolveInput;
  readonly accounts: AccountIndex;
  readonly people: PeopleIndex;
  readonly permissionSets: PermissionSetIndex;
  readonly apps: AppIndex;
}

/** Every group once (ACC030, and ACC039 ignoring case as Okta does), its owners and members noted in `logins`. */
export function resolveGroups(ctx: ResolveContext, refs: GroupReferences, logins: LoginSpellings): { groups: Group[]; assignments: Assignments } {
  const groups: Group[] = [];
  const byName = new Map<string, Group>();
  /** Okta compares group names ignoring case (ACC039). */
  const byFoldedName = new Map<string, Group>();
  const assignments: Assignments = new Map();
  for (const { file, data } of sortByFile(ctx.input.groups)) {
    const same = byName.get(data.name);
    if (same) {
      ctx.out.push(diag('ACC030', at(file, ['name']), `group "${data.name}" is already declared at ${where(same.source)}`));
      continue;
    }
    const sameFolded = byFoldedName.get(data.name.toLowerCase());
    if (sameFolded) {
      ctx.out.push(diag('ACC039', at(file, ['name']), `group "${data.name}" is the same Okta group name as "${sameFolded.name}" at ${where(sameFolded.source)}`,
        'Okta group names are unique ignoring case: rename one of the groups'));
      continue;
    }
    checkFileName(file, data.name, 'group', ctx.out);
    const group = resolveGroupFile(refs, file, data, ctx.out);
    group.owners.forEach((o) => logins.add(o.login, o.source, false));
    group.members.forEach((m) => logins.add(m.login, m.source, false));
    addAssignments(assignments, group, refs.accounts);
    byName.set(group.name, group);
    byFoldedName.set(group.name.toLowerCase(), group);
    groups.push(group);
  }
  groups.sort((a, b) => cmp(a.name, b.name));
  return { groups, assignments };
}

/** Resolves one group file against `refs`; diagnostics go to `sink`. Cross-group checks are the caller's. */
export function resolveGroupFile(refs: GroupReferences, file: YamlFile, data: GroupDocument, sink: Diagnostic[]): Group {
  const owners = resolveOwners(refs, file, data, sink);
  const members = resolveMembers(file, data, sink);
  const apps = resolveApps(refs, file, data, sink);
  const pushedToAws = apps.some((k) => refs.apps.awsKeys.has(k));
  checkGroupName(refs, file, data, pushedToAws, sink);
  const grants = resolveGrants(refs, file, data, sink);
  return {
    name: data.name,
    owners,
    mode: data.mode,
    members,
    apps,
    grants,
    pushedToAws,
    source: at(file, []),
    ...(data.description !== undefined ? { description: data.description } : {}),
  };
}

/** Owners, who must be in people.yaml when there is one (ACC043). */
function resolveOwners(refs: GroupReferences, file: YamlFile, data: GroupDocument, sink: Diagnostic[]): Group['owners'] {
  const owners = (data.owners ?? []).map((login, i) => ({ login, source: at(file, ['owners', i]) }));
  const { input } = refs;
  owners.forEach(({ login: o }, i) => {
    if (input.people && !input.broken.people && !refs.people.byKey.has(foldLogin(o))) {
      sink.push(diag('ACC043', at(file, ['owners', i]), `owner "${o}" is not in people.yaml${didYouMean(o, refs.people.people.map((p) => p.login))}`,
        'add the person to people.yaml so the owner can be mapped to a reviewer'));
    }
  });
  return owners;
}

/** Members, each once ignoring case and accents (ACC035), in folded login order. */
function resolveMembers(file: YamlFile, data: GroupDocument, sink: Diagnostic[]): Member[] {
  const members: Member[] = [];
  const byKey = new Map<string, Member>();
  (data.members ?? []).forEach((m, i) => {
    const entry = typeof m === 'string' ? { user: m } : m;
    const source = at(file, ['members', i]);
    const key = foldLogin(entry.user);
    const dup = byKey.get(key);
    if (dup) {
      sink.push(diag('ACC035', source, `"${entry.user}" is already a member of "${data.name}" at ${where(dup.source)}`));
      return;
    }
    const member: Member = {
      login: entry.user,
      key,
      source,
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      ...(entry.breakGlass === true ? { breakGlass: true } : {}),
    };
    byKey.set(key, member);
    members.push(member);
  });
  members.sort((a, b) => cmp(a.key, b.key) || cmp(a.login, b.login));
  return members;
}

/** The apps the group is assigned or pushed to, sorted; each declared in settings.yaml when it loaded (ACC042). */
function resolveApps(refs: GroupReferences, file: YamlFile, data: GroupDocument, sink: Diagnostic[]): string[] {
  const apps = [...(data.apps ?? [])];
  const { input } = refs;
  const keys = refs.apps.keys;
  if (input.settings && !input.broken.settings) {
    apps.forEach((k, i) => {
      if (!keys.has(k)) {
        sink.push(diag('ACC042', at(file, ['apps', i]), `unknown app "${k}"${didYouMean(k, keys)}`,
          `apps declared in settings.yaml: ${[...keys].join(', ') || 'none'}`));
      }
    });
  }
  apps.sort(cmp);
  return apps;
}

/** Names the group may not take: an AWS app's assignment group (ACC045), or one the AWS Identity Store reserves (ACC046). */
function checkGroupName(refs: GroupReferences, file: YamlFile, data: GroupDocument, pushedToAws: boolean, sink: Diagnostic[]): void {
  for (const app of refs.apps.aws) {
    if (app.assignmentGroup.toLowerCase() === data.name.toLowerCase()) {
      sink.push(diag('ACC045', at(file, ['name']),
        `"${data.name}" is the name of the assignment group of the AWS app "${app.key}" (${where(app.assignmentGroupSource)}):`
          + ' accessctl creates that group, fills it with everyone in a group pushed to AWS and assigns it to the app',
        `rename this group, or set okta.apps.${app.key}.assignmentGroup in settings.yaml to another name`));
    }
  }
  if (pushedToAws && RESERVED_GROUP_NAMES.includes(data.name.toLowerCase())) {
    sink.push(diag('ACC046', at(file, ['name']), `"${data.name}" is a group name the AWS Identity Store reserves`));
  }
}

/** AWS grants: a known permission set (ACC040) in the accounts a selector names. */
function resolveGrants(refs: GroupReferences, file: YamlFile, data: GroupDocument, sink: Diagnostic[]): Grant[] {
  const grants: Grant[] = [];
  const { byName } = refs.permissionSets;
  (data.aws ?? []).forEach((g, i) => {
    if (!byName.has(g.permissionSet) && !shadowed(refs.input.broken.permissionSets, g.permissionSet)) {
      sink.push(diag('ACC040', at(file, ['aws', i, 'permissionSet']),
        `unknown permission set "${g.permissionSet}"${didYouMean(g.permissionSet, [...byName.keys()])}`));
    }
    const { selector, accountIds } = resolveAccountSelector(refs.accounts, g.accounts, file, ['aws', i, 'accounts'], sink);
    grants.push({ permissionSet: g.permissionSet, selector, accountIds, source: at(file, ['aws', i]) });
  });
  return grants;
}
