/**
 * Cross-checks the files that passed their schemas and builds the AccessModel.
 * `resolve` runs the steps in src/model/resolve/ in order; each appends its
 * diagnostics to one list, whose order is part of the output:
 *
 *   1. settings.ts         settings.yaml: defaults, app, domain and ARN checks
 *   2. accounts.ts         accounts, and the account selectors grants and shards use
 *   3. people.ts           people.yaml (login-spellings.ts collects how logins are written)
 *   4. permission-sets.ts  managed and inline policies, boundaries, IAM limits
 *   5. groups.ts           owners, members, apps and grants of each group file
 *   6. assignments.ts      group x permission set x account, and their limit
 *   7. shards.ts           the AWS stack shards of settings.yaml
 *   8. policy.ts           policy.yaml
 *   9. imports.ts          imports.yaml and imports/
 */
import type { Diagnostic } from '../diagnostics';
import { checkPolicyNames } from '../approvals/options';
import type { YamlFile } from '../load/parse';
import type { GroupDocument } from '../schema/group';
import type { SchemaValidator } from '../schema/validate';
import { deepFreeze } from '../util/freeze';
import type { ResolveInput, Resolved } from './resolve/input';
import { resolveAccounts } from './resolve/accounts';
import { assignmentList, checkGroupsPerPermissionSet } from './resolve/assignments';
import { shadowed, type ResolveContext } from './resolve/context';
import { resolveGroupFile, resolveGroups, type GroupReferences } from './resolve/groups';
import { checkImportArns, checkImportedAwsApp, resolveImports } from './resolve/imports';
import { LoginSpellings } from './resolve/login-spellings';
import { resolvePeople } from './resolve/people';
import { resolvePermissionSets } from './resolve/permission-sets';
import { buildPolicy, checkSensitiveActions } from './resolve/policy';
import { resolveShards } from './resolve/shards';
import { appIndex, resolveSettings } from './resolve/settings';
import type { AccessModel, Group } from './types';

export {
  DEFAULT_GROUP_PUSH,
  DEFAULT_MANAGED_POLICIES_PER_ROLE,
  DEFAULT_MAX_API_CAPACITY,
  DEFAULT_OKTA_BASE_URL,
  defaultAssignmentGroup,
  scimUrlProblem,
} from './resolve/settings';
export { INLINE_POLICY_MAX_BYTES, INLINE_POLICY_MAX_CHARS, SESSION_MAX_SECONDS, SESSION_MIN_SECONDS } from './resolve/permission-sets';
export { GROUPS_PER_PERMISSION_SET_PER_ACCOUNT } from './resolve/assignments';
export { BREAK_GLASS_DEFAULT_HOURS } from './resolve/policy';

export type { Partial, Resolved, ResolveInput, Typed } from './resolve/input';

/**
 * Cross-checks validated files and builds the AccessModel. Returns the model
 * only when no error was found; warnings come back either way.
 */
export function resolve(input: ResolveInput, validator: SchemaValidator, options: { freeze?: boolean } = {}): Resolved {
  const ctx: ResolveContext = { input, validator, out: [] };
  const { out } = ctx;
  const settings = resolveSettings(ctx);
  const accounts = resolveAccounts(ctx);
  const logins = new LoginSpellings();
  const people = resolvePeople(ctx, logins);
  const permissionSets = resolvePermissionSets(ctx, settings);
  const refs: GroupReferences = { input, accounts, people, permissionSets, apps: appIndex(settings) };
  const { groups, assignments } = resolveGroups(ctx, refs, logins);
  out.push(...checkGroupsPerPermissionSet(assignments));
  const sharded = settings && input.settings ? { ...settings, shards: resolveShards(ctx, input.settings, accounts) } : settings;
  out.push(...logins.inconsistencies());
  const policy = buildPolicy(input.policy);
  out.push(...checkSensitiveActions(input.policy));
  /** The region ARNs are checked against (ACC100); unknown while settings.yaml does not load. */
  const region = settings?.aws.region;
  if (region !== undefined) out.push(...checkImportArns(input.imports ?? [], region));

  if (out.some((d) => d.severity === 'error') || !sharded) return { diagnostics: out };
  const imports = resolveImports(ctx);
  checkImportedAwsApp(ctx, sharded, imports);

  const model: AccessModel = {
    settings: sharded,
    accounts: accounts.accounts,
    people: people.people,
    permissionSets: permissionSets.permissionSets,
    groups,
    assignments: assignmentList(assignments),
    policy,
    imports,
  };
  if (input.policy && !input.broken.people) {
    const brokenGroup = (name: string): boolean => input.broken.groups !== undefined && shadowed(input.broken.groups, name);
    out.push(...checkPolicyNames(input.policy.file, model, input.people !== undefined, brokenGroup));
  }
  const resolveGroup = (file: YamlFile, data: GroupDocument): { group: Group; diagnostics: Diagnostic[] } => {
    const sink: Diagnostic[] = [];
    return { group: resolveGroupFile(refs, file, data, sink), diagnostics: sink };
  };
  return { model: options.freeze === false ? model : deepFreeze(model), diagnostics: out, resolveGroup };
}
