// Reading the Okta export: the apps and the groups assigned to them, the AWS
// app's Group Push mappings, the group rules, and the groups with their
// members and owners. Import blocks for what is read are added to the context
// here; files are written later (write.ts).
import { cmp } from '../diagnostics';
import type { Settings } from '../model/types';
import { groupName as groupNameSchema } from '../schema/common';
import type { ImportContext } from './context';
import type { ExportFile } from './exports';

const GROUP_NAME = new RegExp(groupNameSchema.pattern);

/**
 * Okta user statuses of people who sign in (or are about to) as usual: kept
 * as members without a word. PROVISIONED is every SSO-only user who never set
 * an Okta password; RECOVERY, PASSWORD_EXPIRED and LOCKED_OUT pass.
 */
const USABLE_USER_STATUSES = new Set(['ACTIVE', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
const MEMBER_STATUS_NOTE: Readonly<Record<string, string>> = {
  SUSPENDED: 'kept as a member (remove them in a reviewed change)',
  DEPROVISIONED: 'kept as a member (remove them in a reviewed change)',
  STAGED: 'kept as a member (never activated: they cannot sign in yet)',
};

type AppSetting = Settings['okta']['apps'][number];

export interface OktaApp {
  readonly id: string;
  readonly name: string;
  readonly label: string;
}

/** A Group Push mapping of the AWS app: status ACTIVE, INACTIVE or ERROR, as GET .../group-push/mappings returns it. */
export interface PushMapping {
  readonly id: string;
  readonly status: string;
  readonly errorSummary?: string;
}

export interface OktaApps {
  /** The AWS app settings.yaml declares, if any. */
  readonly awsAppSetting: AppSetting | undefined;
  /** The amazon_aws_sso app of the export that is that app, if any. */
  readonly awsApp: OktaApp | undefined;
  /** Group id -> the keys (settings.yaml) of the declared apps it is assigned to. */
  readonly appGroups: Map<string, string[]>;
  /** App key -> the ids of the groups assigned to it. */
  readonly appGroupIds: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups assigned to apps settings.yaml does not declare. */
  readonly undeclared: ReadonlyArray<{ gid: string; app: OktaApp }>;
  /** Source group id -> its push mapping. */
  readonly pushMappings: ReadonlyMap<string, PushMapping>;
  readonly pushMappingsFile: ExportFile | undefined;
}

/** An Okta group that is imported, before its owners and grants are matched. */
export interface OktaGroup {
  readonly name: string;
  readonly id: string;
  readonly description?: string;
  /** 'additive' (an active group rule fills it) or 'authoritative'. */
  readonly mode: 'additive' | 'authoritative';
  /** Logins, sorted; none in additive mode. */
  readonly members: string[];
  /** The users that own it (owners of other types are noted). */
  readonly ownerIds: string[];
}

export interface OktaPerson {
  readonly login: string;
  readonly name?: string;
}

export interface OktaGroups {
  readonly groupsFile: ExportFile;
  /** Every group of the export, imported or not: id -> name. */
  readonly anyGroupName: ReadonlyMap<string, string>;
  /** The imported groups, in the order groups.json lists them. */
  readonly groups: OktaGroup[];
  /** The ids of the imported groups. */
  readonly importedIds: ReadonlySet<string>;
  readonly usersFile: ExportFile | undefined;
  /** Every user seen (users.json and the members): id -> login. */
  readonly loginById: ReadonlyMap<string, string>;
  /** Lowercased login -> person, first seen first. */
  readonly people: ReadonlyMap<string, OktaPerson>;
}

export interface OktaExports {
  readonly apps: OktaApps;
  readonly groups: OktaGroups;
}

export function readOktaExports(ctx: ImportContext): OktaExports {
  const apps = readApps(ctx);
  const rulesByGroup = readGroupRules(ctx);
  const groups = readGroups(ctx, rulesByGroup);
  return { apps, groups };
}

/** apps.json, the groups of each app, and the AWS app's push mappings. */
function readApps(ctx: ImportContext): OktaApps {
  const { settings } = ctx.input;
  const appsFile = ctx.okta('apps.json');
  const apps: OktaApp[] = appsFile.array(appsFile.data, '').map((a, i) => ({
    id: appsFile.string(appsFile.at(a, 'id'), `[${i}].id`),
    name: appsFile.optionalString(appsFile.at(a, 'name'), `[${i}].name`) ?? '',
    label: appsFile.optionalString(appsFile.at(a, 'label'), `[${i}].label`) ?? '',
  }));
  const awsAppSetting = settings.okta.apps.find((a) => a.kind === 'aws');
  const awsCandidates = apps.filter((a) => a.name === 'amazon_aws_sso');
  const awsApp = awsCandidates.length === 1 ? awsCandidates[0] : awsCandidates.find((a) => a.label === awsAppSetting?.label);
  if (awsAppSetting && awsCandidates.length > 0 && !awsApp) {
    appsFile.fail('', `${awsCandidates.length} AWS IAM Identity Center apps (amazon_aws_sso) and none labelled "${awsAppSetting.label}" as settings.yaml says`);
  }
  const appKeyById = new Map<string, string>();
  if (awsApp && awsAppSetting) {
    appKeyById.set(awsApp.id, awsAppSetting.key);
    ctx.imports.push({ resource: 'okta_app_saml', key: awsAppSetting.key, id: awsApp.id });
  } else if (awsAppSetting) ctx.notes.push(`no amazon_aws_sso app in ${appsFile.file}: the first apply creates the AWS app "${awsAppSetting.label}"`);
  for (const a of settings.okta.apps) if (a.kind === 'existing') appKeyById.set(a.id, a.key);

  const undeclared: Array<{ gid: string; app: OktaApp }> = [];
  const appGroups = new Map<string, string[]>();
  const appGroupIds = new Map<string, Set<string>>();
  for (const app of apps) {
    const f = ctx.oktaOptional(`apps/${app.id}/groups.json`);
    if (!f) continue;
    const key = appKeyById.get(app.id);
    f.array(f.data, '').forEach((g, i) => {
      const gid = f.string(f.at(g, 'id'), `[${i}].id`);
      if (key === undefined) {
        undeclared.push({ gid, app });
        return;
      }
      appGroups.set(gid, [...(appGroups.get(gid) ?? []), key]);
      if (!appGroupIds.has(key)) appGroupIds.set(key, new Set());
      appGroupIds.get(key)!.add(gid);
    });
  }
  const pushMappingsFile = awsApp ? ctx.oktaOptional(`apps/${awsApp.id}/push-mappings.json`) : undefined;
  const pushMappings = pushMappingsFile ? readPushMappings(pushMappingsFile) : new Map<string, PushMapping>();
  return { awsAppSetting, awsApp, appGroups, appGroupIds, undeclared, pushMappings, pushMappingsFile };
}

/** apps/ID/push-mappings.json: source group id -> mapping. */
function readPushMappings(f: ExportFile): Map<string, PushMapping> {
  const pushMappings = new Map<string, PushMapping>();
  f.array(f.data, '').forEach((m, i) => {
    const errorSummary = f.optionalString(f.at(m, 'errorSummary'), `[${i}].errorSummary`);
    pushMappings.set(f.string(f.at(m, 'sourceGroupId'), `[${i}].sourceGroupId`), {
      id: f.string(f.at(m, 'id'), `[${i}].id`),
      status: f.string(f.at(m, 'status'), `[${i}].status`),
      ...(errorSummary !== undefined ? { errorSummary } : {}),
    });
  });
  return pushMappings;
}

/**
 * Group id -> the names of the active group rules that fill it. A group that
 * an active rule fills is imported in additive mode without members:
 * authoritative memberships would fight the rule.
 */
function readGroupRules(ctx: ImportContext): Map<string, string[]> {
  const rulesFile = ctx.oktaOptional('group-rules.json');
  const rulesByGroup = new Map<string, string[]>();
  rulesFile?.array(rulesFile.data, '').forEach((r, i) => {
    const status = rulesFile.string(rulesFile.at(r, 'status'), `[${i}].status`);
    const ruleName = rulesFile.string(rulesFile.at(r, 'name'), `[${i}].name`);
    if (status !== 'ACTIVE') return;
    const actions = rulesFile.object(rulesFile.at(r, 'actions'), `[${i}].actions`);
    const assign = rulesFile.object(rulesFile.at(actions, 'assignUserToGroups'), `[${i}].actions.assignUserToGroups`);
    rulesFile.array(assign.groupIds, `[${i}].actions.assignUserToGroups.groupIds`).forEach((gid, j) => {
      const id = rulesFile.string(gid, `[${i}].actions.assignUserToGroups.groupIds[${j}]`);
      rulesByGroup.set(id, [...(rulesByGroup.get(id) ?? []), ruleName]);
    });
  });
  return rulesByGroup;
}

/** The people seen so far, filled from users.json and the members of each group. */
class People {
  readonly loginById = new Map<string, string>();
  readonly byLogin = new Map<string, OktaPerson>();

  /** Records a user object of the export; returns its login. */
  add(f: ExportFile, u: unknown, where: string): string {
    const id = f.string(f.at(u, 'id'), `${where}.id`);
    const profile = f.object(f.at(u, 'profile'), `${where}.profile`);
    const login = f.string(profile.login, `${where}.profile.login`);
    this.loginById.set(id, login);
    const first = f.optionalString(profile.firstName, `${where}.profile.firstName`);
    const last = f.optionalString(profile.lastName, `${where}.profile.lastName`);
    const name = [first, last].filter(Boolean).join(' ');
    if (!this.byLogin.has(login.toLowerCase())) this.byLogin.set(login.toLowerCase(), { login, ...(name ? { name } : {}) });
    return login;
  }
}

/** groups.json, users.json, and each imported group's members and owners. */
function readGroups(ctx: ImportContext, rulesByGroup: ReadonlyMap<string, string[]>): OktaGroups {
  const groupsFile = ctx.okta('groups.json');
  const anyGroupName = new Map<string, string>();
  const people = new People();
  const usersFile = ctx.oktaOptional('users.json');
  usersFile?.array(usersFile.data, '').forEach((u, i) => people.add(usersFile, u, `[${i}]`));

  const groups: OktaGroup[] = [];
  const importedIds = new Set<string>();
  groupsFile.array(groupsFile.data, '').forEach((g, i) => {
    const id = groupsFile.string(groupsFile.at(g, 'id'), `[${i}].id`);
    const type = groupsFile.string(groupsFile.at(g, 'type'), `[${i}].type`);
    const profile = groupsFile.object(groupsFile.at(g, 'profile'), `[${i}].profile`);
    const name = groupsFile.string(profile.name, `[${i}].profile.name`);
    anyGroupName.set(id, name);
    if (type !== 'OKTA_GROUP') {
      ctx.notes.push(`group "${name}" (${id}) is of type ${type}: only Okta groups (OKTA_GROUP) are imported`);
      return;
    }
    if (!GROUP_NAME.test(name)) {
      ctx.notes.push(`group "${name}" (${id}) has a name accessctl cannot keep as a group name: not imported`);
      return;
    }
    const rules = rulesByGroup.get(id);
    const logins = readMembers(ctx, { id, name, ruled: rules !== undefined, people });
    if (rules !== undefined) {
      ctx.notes.push(`group "${name}" is filled by the group rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `"${r}"`).join(', ')}: `
        + 'imported in additive mode without members, so Terraform leaves the rule\'s members alone (list members to manage them too)');
    }
    const description = groupsFile.optionalString(profile.description, `[${i}].profile.description`);
    const ownerIds = readOwnerIds(ctx, id, name);
    importedIds.add(id);
    groups.push({
      name,
      id,
      ...(description !== undefined ? { description } : {}),
      mode: rules !== undefined ? 'additive' : 'authoritative',
      members: rules !== undefined ? [] : [...new Set(logins)].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase())),
      ownerIds,
    });
  });
  return { groupsFile, anyGroupName, groups, importedIds, usersFile, loginById: people.loginById, people: people.byLogin };
}

/** groups/ID/users.json: the members' logins; members who may not sign in as usual noted (unless a rule fills the group). */
function readMembers(ctx: ImportContext, group: { id: string; name: string; ruled: boolean; people: People }): string[] {
  const members = ctx.okta(`groups/${group.id}/users.json`);
  return members.array(members.data, '').map((u, j) => {
    const status = members.optionalString(members.at(u, 'status'), `[${j}].status`);
    const login = group.people.add(members, u, `[${j}]`);
    const note = status === undefined || group.ruled
      ? undefined
      : MEMBER_STATUS_NOTE[status] ?? (USABLE_USER_STATUSES.has(status) ? undefined : 'kept as a member');
    if (note !== undefined) ctx.notes.push(`${login} in "${group.name}" is ${status}: ${note}`);
    return login;
  });
}

/** groups/ID/owners.json (optional): the ids of the owners that are users; other owners noted. */
function readOwnerIds(ctx: ImportContext, id: string, name: string): string[] {
  const ownersFile = ctx.oktaOptional(`groups/${id}/owners.json`);
  if (!ownersFile) return [];
  return ownersFile.array(ownersFile.data, '').flatMap((o, j) => {
    const type = ownersFile.string(ownersFile.at(o, 'type'), `[${j}].type`);
    const oid = ownersFile.string(ownersFile.at(o, 'id'), `[${j}].id`);
    if (type !== 'USER') {
      ctx.notes.push(`group "${name}" is owned by a ${type.toLowerCase()} (${oid}): accessctl owners are people, not imported`);
      return [];
    }
    return [oid];
  });
}
