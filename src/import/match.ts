// Matching what the two exports hold to each other: Okta groups to their app
// assignments, Group Push mappings and owners, Identity Store groups (by name)
// to the Okta groups, and their account assignments to grants. What does not
// match is noted (or, for access the first apply removes, listed as a revocation).
import { cmp } from '../diagnostics';
import type { ImportContext } from './context';
import { ExportError } from './exports';
import type { AwsExports, GroupAssignment } from './read-aws';
import type { OktaApps, OktaExports, OktaGroup, OktaGroups } from './read-okta';

/** Identity Store group name -> its assignments on imported accounts. */
export type AssignmentsByGroup = ReadonlyMap<string, readonly GroupAssignment[]>;

/**
 * Notes the app assignments of groups that are not imported and of apps
 * settings.yaml does not declare, and the account assignments of groups that
 * are not imported Okta groups; returns the assignments by group name.
 */
export function matchAssignments(ctx: ImportContext, aws: AwsExports, okta: OktaExports): AssignmentsByGroup {
  noteUnimportedAppGroups(ctx, okta);
  for (const { gid, app } of okta.apps.undeclared) {
    const group = okta.groups.anyGroupName.get(gid) ?? gid;
    ctx.notes.push(`"${group}" is assigned to the Okta app "${app.label}" (${app.id}), which settings.yaml does not declare: that assignment is not imported`);
  }
  const imported = new Set(okta.groups.groups.map((g) => g.name));
  const oktaNames = new Set(okta.groups.anyGroupName.values());
  const assignmentsByGroup = new Map<string, GroupAssignment[]>();
  for (const a of aws.assignments) {
    const list = assignmentsByGroup.get(a.group);
    if (list) list.push(a);
    else assignmentsByGroup.set(a.group, [a]);
    if (imported.has(a.group)) continue;
    const holds = `the Identity Store group "${a.group}" holds ${aws.permissionSets.get(a.psArn)!.name} on ${a.accountId}`;
    if (oktaNames.has(a.group)) ctx.notes.push(`${holds}, but its Okta group is not imported (see above): that assignment is not imported`);
    else ctx.notes.push(`${holds} but is not an Okta group in the export: not imported`);
  }
  return assignmentsByGroup;
}

/**
 * Groups assigned to a declared app but not imported: the AWS app's
 * assignments are revoked by the first apply, the others left alone.
 */
function noteUnimportedAppGroups(ctx: ImportContext, { apps, groups }: OktaExports): void {
  const { awsAppSetting, awsApp } = apps;
  for (const [gid, keys] of [...apps.appGroups].sort(([a], [b]) => cmp(a, b))) {
    if (groups.importedIds.has(gid)) continue;
    const shown = groups.anyGroupName.has(gid)
      ? `"${groups.anyGroupName.get(gid)}" (${gid})`
      : `the group ${gid}, which is not in ${groups.groupsFile.file},`;
    for (const key of keys) {
      if (awsAppSetting !== undefined && key === awsAppSetting.key) {
        ctx.revocations.push(`${shown} is assigned to the Okta app "${awsApp!.label}" but is not imported: okta_app_group_assignments holds every group `
          + 'of that app, so the first apply removes this assignment (and SCIM then deprovisions what only it brought to AWS)');
      } else {
        ctx.notes.push(`${shown} is assigned to the Okta app "${key}" but is not imported: that assignment is left as it is`);
      }
    }
  }
}

/** The logins of a group's owners, each adopted with an import block; owners the export does not name noted. */
export function matchOwners(ctx: ImportContext, groups: OktaGroups, g: OktaGroup): string[] {
  return g.ownerIds.flatMap((oid) => {
    const login = groups.loginById.get(oid);
    if (login === undefined) {
      const where = groups.usersFile
        ? ` and not in ${groups.usersFile.file}`
        : `, and there is no ${ctx.input.oktaLabel}/users.json (GET /api/v1/users) to find them in`;
      ctx.notes.push(`owner ${oid} of "${g.name}" is in no exported group${where}: not imported`);
      return [];
    }
    ctx.imports.push({ resource: 'okta_group_owner', key: `${g.name}|${login.toLowerCase()}`, id: `${g.id}/${oid}` });
    return [login];
  });
}

/** Permission set name -> account names (unsorted, maybe repeated), each assignment adopted with an import block. */
export function matchGrants(ctx: ImportContext, aws: AwsExports, g: OktaGroup, assignments: readonly GroupAssignment[]): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const a of assignments) {
    const ps = aws.permissionSets.get(a.psArn)!.name;
    grants.set(ps, [...(grants.get(ps) ?? []), aws.accountById.get(a.accountId)!.name]);
    ctx.imports.push({
      resource: 'aws_ssoadmin_account_assignment',
      key: `${g.name}|${ps}|${a.accountId}`,
      id: `${a.principalId},GROUP,${a.accountId},AWS_ACCOUNT,${a.psArn},${aws.instanceArn}`,
    });
  }
  return grants;
}

/**
 * The import blocks of the group itself, its memberships, its assignments to
 * existing apps and its Group Push. Returns 'paused' when its push is
 * INACTIVE, which the caller refuses once every group is seen.
 */
export function adoptGroup(ctx: ImportContext, apps: OktaApps, g: OktaGroup, keys: readonly string[]): 'paused' | undefined {
  ctx.imports.push({ resource: 'okta_group', key: g.name, id: g.id });
  if (g.members.length > 0) ctx.imports.push({ resource: 'okta_group_memberships', key: g.name, id: `${g.id}/true` });
  for (const key of keys) {
    const app = ctx.input.settings.okta.apps.find((a) => a.key === key)!;
    if (app.kind === 'existing') ctx.imports.push({ resource: 'okta_app_group_assignment', key: `${key}|${g.name}`, id: `${app.id}/${g.id}` });
  }
  const { awsApp, awsAppSetting } = apps;
  const mapping = apps.pushMappings.get(g.id);
  if (mapping === undefined || !awsApp || !awsAppSetting || !ctx.input.settings.okta.groupPush || !keys.includes(awsAppSetting.key)) return undefined;
  // okta_push_group is declared ACTIVE: a paused push would resume at the first apply.
  let paused: 'paused' | undefined;
  if (mapping.status === 'INACTIVE') paused = 'paused';
  else if (mapping.status !== 'ACTIVE') {
    const why = mapping.errorSummary !== undefined ? ` (${mapping.errorSummary})` : '';
    ctx.notes.push(`the Group Push of "${g.name}" is ${mapping.status}${why}: adopted, and the first apply sets it ACTIVE, which pushes the group again; `
      + 'fix the cause in Okta before applying');
  }
  ctx.imports.push({ resource: 'okta_push_group', key: g.name, id: `${awsApp.id}/${mapping.id}` });
  return paused;
}

/** Refuses the import when a Group Push is paused: the first apply would resume it. */
export function refusePausedPushes(apps: OktaApps, paused: readonly string[]): void {
  if (paused.length === 0) return;
  throw new ExportError(
    apps.pushMappingsFile!.file,
    `the Group Push of ${paused.map((n) => `"${n}"`).join(', ')} is INACTIVE (paused), and accessctl declares every push ACTIVE: `
      + 'the first apply would resume it',
    'ACC096',
    'activate the push in Okta, or delete the mapping, or set okta.groupPush: false in settings.yaml; then export the mappings again',
  );
}

/**
 * The AWS app's group assignments, adopted as one okta_app_group_assignments
 * block, with notes on what the first apply changes about them.
 */
export function adoptAwsAppAssignments(ctx: ImportContext, { awsApp, awsAppSetting, appGroupIds, pushMappingsFile }: OktaApps): void {
  if (!awsApp || !awsAppSetting || (appGroupIds.get(awsAppSetting.key)?.size ?? 0) === 0) return;
  ctx.imports.push({ resource: 'okta_app_group_assignments', key: awsAppSetting.key, id: awsApp.id });
  if (pushMappingsFile === undefined && ctx.input.settings.okta.groupPush) {
    ctx.notes.push(`no ${`apps/${awsApp.id}/push-mappings.json`} in the Okta export: the first apply creates a Group Push for every group with `
      + `apps: [${awsAppSetting.key}], and nothing documents that IAM Identity Center links a new push to the AWS group that already has its name `
      + '(it may fail or make a second group). Export the mappings (docs/import.md) so the existing pushes are adopted');
  }
  const assigned = appGroupIds.get(awsAppSetting.key)!.size;
  const assignmentGroup = awsAppSetting.kind === 'aws' ? awsAppSetting.assignmentGroup : '';
  ctx.notes.push(`${assigned} group${assigned === 1 ? ' is' : 's are'} assigned to the AWS app "${awsApp.label}": accessctl assigns only its assignment group `
    + `${assignmentGroup} and pushes the groups with AWS grants. The first apply creates that group with everyone in a pushed group, assigns it, `
    + 'and only then unassigns the others (a one-time change, which plan-summary describes)');
}
