// What CI uploads of a plan: the JSON of `terraform show -json PLANFILE` cut down
// to an ALLOWLIST of what its readers use. That JSON holds sensitive values in
// clear text (the SCIM token: marked only in the *_sensitive masks, and again
// unmarked in variables, configuration, resource_drift, output_changes, …), so
// nothing is copied unless a reader needs it, and a place Terraform adds to
// the format later is left out without anyone having to think of it.
//
// The readers:
// - plan-summary: parsePlan, oktaUserLogins and oktaGroupNames in
//   plan-json.ts, and summarizePlans in summary.ts;
// - the CI scripts: planned_values.outputs.pending_scim_groups.value
//   (record-applied.sh, wait-for-scim.sh) and resource_changes[].address,
//   .type and .change.actions (the apply scripts' checks of a plan).

import { PlanFormatError } from './plan-json';

/** What a value a sensitivity mask marks becomes. */
export const SENSITIVE = '(sensitive)';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean | null => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const field = (o: unknown, key: string): unknown => (isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined);

/** The keys of a resource change that plan-summary reads (address and type: the apply scripts too), scalars only. */
const CHANGE_KEYS = ['address', 'previous_address', 'mode', 'type', 'name', 'index'] as const;

/**
 * The plan with only what plan-summary and the CI scripts read: format_version,
 * terraform_version, resource_changes (address, previous_address, mode, type,
 * name, index, change.actions/before/after, with masked values "(sensitive)",
 * change.after_unknown as booleans, and change.importing as `{}`: that there is one),
 * planned_values.outputs.pending_scim_groups.value, and the prior state's
 * Okta users (id, login) and groups (id, name). Pure; throws PlanFormatError
 * on what is not a plan, without quoting it (it holds secrets).
 */
export function redactPlan(plan: unknown): object {
  if (!isObject(plan)) throw new PlanFormatError('not a Terraform plan: expected a JSON object');
  const version = plan.format_version;
  if (typeof version !== 'string') throw new PlanFormatError('not a Terraform plan: no format_version (give the output of terraform show -json PLANFILE, ' +
      'not the state or the text plan)');
  if (version.split('.')[0] !== '1') throw new PlanFormatError(`plan format_version ${version} is not supported: accessctl reads format 1.x`);
  // Terraform leaves resource_changes out of a plan with no resources.
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) throw new PlanFormatError('not a Terraform plan: resource_changes must ' +
      'be a list');

  const out: Obj = { format_version: version };
  if (typeof plan.terraform_version === 'string') out.terraform_version = plan.terraform_version;
  out.resource_changes = list(plan.resource_changes).map(redactChange);
  const pending = field(field(field(plan, 'planned_values'), 'outputs'), 'pending_scim_groups');
  const groups = field(pending, 'value');
  if (Array.isArray(groups)) {
    // Never marked sensitive (group names); were it, its value would be masked like any other.
    const value = field(pending, 'sensitive') === true ? SENSITIVE : groups.filter((g) => typeof g === 'string');
    out.planned_values = { outputs: { pending_scim_groups: { value } } };
  }
  const root = field(field(field(plan, 'prior_state'), 'values'), 'root_module');
  if (isObject(root)) out.prior_state = { values: { root_module: slimModule(root) } };
  return out;
}

function redactChange(rc: unknown, i: number): Obj {
  const change = field(rc, 'change');
  const actions = field(change, 'actions');
  if (!isObject(rc) || typeof rc.address !== 'string' || typeof rc.type !== 'string' || !Array.isArray(actions)) {
    throw new PlanFormatError(`not a Terraform plan: resource_changes[${i}] has no address, type or change.actions`);
  }
  const out: Obj = {};
  for (const k of CHANGE_KEYS) if (isScalar(rc[k])) out[k] = rc[k];
  const kept = actions.filter(isScalar);
  const masked = (side: 'before' | 'after'): unknown => maskSensitive(field(change, side), field(change, `${side}_sensitive`));
  out.change = rc.mode === 'data'
    // plan-summary skips data sources; an okta_users look-up keeps its users' id and login, as prior_state does.
    ? { actions: kept, before: null, after: rc.type === 'okta_users' ? { users: users(field(masked('after'), 'users')) } : null }
    : {
      actions: kept, before: masked('before'), after: masked('after'),
      // removalsOnly reads both: a value known only after the apply, an import.
      ...(field(change, 'after_unknown') === undefined ? {} : {
        after_unknown: unknownMask(maskSensitive(field(change, 'after_unknown'), field(change, 'after_sensitive'))),
      }),
      ...(field(change, 'importing') === undefined ? {} : { importing: {} }),
    };
  return out;
}

/**
 * An after_unknown mask with nothing but its shape and booleans: any other
 * leaf (such as a part the sensitivity mask hid) becomes `true`, unknown.
 */
function unknownMask(mask: unknown): unknown {
  if (typeof mask === 'boolean') return mask;
  if (Array.isArray(mask)) return mask.map(unknownMask);
  if (isObject(mask)) return Object.fromEntries(Object.entries(mask).map(([k, v]) => [k, unknownMask(v)]));
  return true;
}

/**
 * The value with each non-null part its mask marks `true` replaced by
 * "(sensitive)" (a mask of `true` marks the whole value). Where the mask marks
 * something inside a value of another shape, the whole value is masked.
 */
export function maskSensitive(value: unknown, mask: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (mask === true) return SENSITIVE;
  if (Array.isArray(mask) && Array.isArray(value)) return value.map((v, i) => maskSensitive(v, mask[i]));
  if (isObject(mask) && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSensitive(v, field(mask, k))]));
  return marksAny(mask) ? SENSITIVE : value;
}

function marksAny(mask: unknown): boolean {
  return mask === true || (mask !== null && typeof mask === 'object' && Object.values(mask).some(marksAny));
}

/** Each value's listed keys, scalars or null (as jq's `{id, login}`): nothing nested survives. */
function pick(from: unknown, keys: readonly string[]): Obj {
  return Object.fromEntries(keys.map((k) => {
    const v = field(from, k);
    return [k, isScalar(v) ? v : null];
  }));
}

const users = (v: unknown): Obj[] => list(v).map((u) => pick(u, ['id', 'login']));

/** A state module with only the Okta users look-ups (users' id, login) and the Okta groups (id, name), as oktaUserLogins and oktaGroupNames read them. */
function slimModule(m: unknown): Obj {
  const resources: Obj[] = [];
  for (const r of list(field(m, 'resources'))) {
    const values = maskSensitive(field(r, 'values'), field(r, 'sensitive_values'));
    if (field(r, 'mode') === 'data' && field(r, 'type') === 'okta_users') resources.push(
      { mode: 'data', type: 'okta_users', values: { users: users(field(values, 'users')) } },
    );
    if (field(r, 'mode') === 'managed' && field(r, 'type') === 'okta_group') resources.push(
      { mode: 'managed', type: 'okta_group', values: pick(values, ['id', 'name']) },
    );
  }
  return { resources, child_modules: list(field(m, 'child_modules')).map(slimModule) };
}
