// The parts of Terraform's machine-readable plan (`terraform show -json
// PLANFILE`, format_version 1.x) that accessctl reads. Anything else in the
// document is ignored; a document of another major format version is refused.

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    /**
     * What of `after` is known only after the apply: a mask shaped like
     * `after`, `true` where a value is unknown (`{}` when all is known).
     */
    readonly after_unknown?: unknown;
    /** Present when the change imports an existing object into the state. */
    readonly importing?: unknown;
  };
  readonly action_reason?: string;
}

export interface PlanDocument {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes: readonly ResourceChange[];
  readonly planned_values?: { readonly outputs?: Record<string, { readonly value?: unknown }> };
  readonly prior_state?: { readonly values?: { readonly root_module?: StateModule } };
}

interface StateModule {
  readonly resources?: ReadonlyArray<{
    readonly address: string;
    readonly mode: string;
    readonly type: string;
    readonly index?: string | number;
    readonly values?: Record<string, unknown>;
  }>;
  readonly child_modules?: readonly StateModule[];
}

export class PlanFormatError extends Error {}

/** The kind of change an action list means. */
export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'none';

export function changeKind(actions: readonly PlanAction[]): ChangeKind {
  const a = actions.join(',');
  if (a === 'create') return 'create';
  if (a === 'delete') return 'delete';
  if (a === 'update') return 'update';
  if (a === 'delete,create' || a === 'create,delete') return 'replace';
  return 'none';
}

/** Parses and checks a plan document; throws PlanFormatError with a reason a person can act on. */
export function parsePlan(text: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PlanFormatError(`not JSON (${(e as Error).message.split('\n')[0]}): give the output of terraform show -json PLANFILE`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new PlanFormatError('not a Terraform plan: expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (typeof d.format_version !== 'string') throw new PlanFormatError('not a Terraform plan: no format_version (give the output of terraform show -json ' +
      'PLANFILE, not the state or the text plan)');
  const major = d.format_version.split('.')[0];
  if (major !== '1') throw new PlanFormatError(`plan format_version ${d.format_version} is not supported: accessctl reads format 1.x`);
  if (d.resource_changes !== undefined && !Array.isArray(d.resource_changes)) throw new PlanFormatError('resource_changes must be a list');
  for (const rc of (d.resource_changes ?? []) as unknown[]) {
    const r = rc as Record<string, unknown> | null;
    const change = r?.change as Record<string, unknown> | undefined;
    if (!r || typeof r.address !== 'string' || typeof r.type !== 'string' || !change || !Array.isArray(change.actions)) {
      throw new PlanFormatError(`a resource change has no address, type or change.actions: ${JSON.stringify(rc).slice(0, 120)}`);
    }
  }
  return { ...(d as unknown as PlanDocument), resource_changes: (d.resource_changes ?? []) as ResourceChange[] };
}

/** login (lower case) for each Okta user id the plan's data.okta_users read: lets a summary name people, not ids. */
export function oktaUserLogins(plan: PlanDocument): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (m: StateModule | undefined): void => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== 'data' || r.type !== 'okta_users') continue;
      for (const u of (r.values?.users ?? []) as Array<{ id?: unknown; login?: unknown }>) {
        if (typeof u.id === 'string' && typeof u.login === 'string') out.set(u.id, u.login.toLowerCase());
      }
    }
    for (const c of m?.child_modules ?? []) visit(c);
  };
  visit(plan.prior_state?.values?.root_module);
  return out;
}

/** Okta group id -> name, from the okta_group objects of the plan's prior state. */
export function oktaGroupNames(plan: PlanDocument): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (m: StateModule | undefined): void => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== 'managed' || r.type !== 'okta_group') continue;
      const { id, name } = (r.values ?? {}) as { id?: unknown; name?: unknown };
      if (typeof id === 'string' && typeof name === 'string') out.set(id, name);
    }
    for (const c of m?.child_modules ?? []) visit(c);
  };
  visit(plan.prior_state?.values?.root_module);
  return out;
}
