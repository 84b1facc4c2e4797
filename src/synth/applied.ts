// What is live, as far as accessctl knows: per stack, the commit and the
// digest of the layout its last successful apply came from. The record is
// written by the apply job only, next to the Terraform state (docs/ci.md),
// and compared with the layout synthesized now, with today's date: a member
// whose expiry passed, a run that was cancelled and an apply that failed all
// make the two differ, so the next run plans and applies that stack.
//
// The digest covers what decides the stack's resources (its layout without
// moved blocks, import blocks and the other details that depend on the base
// revision a run compares with) and the backend settings.

import { createHash } from 'node:crypto';
import { cmp } from '../diagnostics';
import { canonicalJson } from '../diff/diff';
import type { Backend } from '../model/types';
import { stackLayouts, type AwsLayout, type Layout, type OktaLayout, type StackLayout } from './layout';

export interface AppliedStack {
  readonly commit: string;
  /** "sha256:<hex>" of the stack's layout (stackDigests). */
  readonly digest: string;
  /** ISO 8601, when the apply finished. */
  readonly appliedAt: string;
}

export interface AppliedRecord {
  readonly version: 1;
  readonly stacks: Readonly<Record<string, AppliedStack>>;
}

export const EMPTY_RECORD: AppliedRecord = { version: 1, stacks: {} };

/** What of a stack's layout decides its resources: no moved or import blocks, nothing that depends on the base revision. */
function essence(layout: StackLayout): unknown {
  if (layout.stack === 'okta-scim') return layout;
  if (layout.stack === 'okta') {
    const { moved: _m, imports: _i, userLookups: _u, ...rest } = layout as OktaLayout;
    return rest;
  }
  const { moved: _m, imports: _i, assignmentImports: _a, newGroups: _n, newPermissionSets: _p, groupLookup, ...rest } = layout as AwsLayout;
  // Lookups by the names a group had in the base are a detail of one run; the names it has now are not.
  return { ...rest, groups: Object.keys(groupLookup).sort(cmp) };
}

/** Stack name -> "sha256:<hex>" of its layout and the backend, in synth order. */
export function stackDigests(layout: Layout, backend: Backend): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of stackLayouts(layout)) {
    out[l.stack] = `sha256:${createHash('sha256').update(canonicalJson({ backend, layout: essence(l) })).digest('hex')}`;
  }
  return out;
}

export interface Pending {
  /** Stacks whose layout now differs from what was last applied, in synth order. */
  readonly stacks: readonly string[];
  readonly all: readonly string[];
  /** Stacks the record has and the files no longer do. */
  readonly removed: readonly string[];
  readonly reasons: Readonly<Record<string, string>>;
}

/** The stacks to plan and apply so that what is live becomes what the files say today. */
export function pendingStacks(record: AppliedRecord, digests: Readonly<Record<string, string>>): Pending {
  const all = Object.keys(digests);
  const reasons: Record<string, string> = {};
  for (const s of all) {
    const r = record.stacks[s];
    if (r === undefined) reasons[s] = 'never applied';
    else if (r.digest !== digests[s]) reasons[s] = `differs from what was applied from ${r.commit.slice(0, 12)} at ${r.appliedAt}`;
  }
  return { stacks: all.filter((s) => reasons[s] !== undefined), all, removed: Object.keys(record.stacks).filter((s) => !(s in digests)).sort(cmp), reasons };
}

/** The record after a successful apply of one stack. */
export function recordApplied(record: AppliedRecord, stack: string, entry: AppliedStack): AppliedRecord {
  const stacks: Record<string, AppliedStack> = { ...record.stacks, [stack]: entry };
  return { version: 1, stacks: Object.fromEntries(Object.keys(stacks).sort(cmp).map((k) => [k, stacks[k]!])) };
}

/** A layout digest and a commit id as the record holds them. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;
export const COMMIT = /^[0-9a-f]{40}$/;

/** Reads a record; a message saying what is wrong when it is not one. */
export function parseAppliedRecord(text: string): { record: AppliedRecord } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (data === null || typeof data !== 'object' || (data as { version?: unknown }).version !== 1) return { error: 'not an accessctl apply record (version 1)' };
  const stacks = (data as { stacks?: unknown }).stacks;
  if (stacks === null || typeof stacks !== 'object' || Array.isArray(stacks)) return { error: '"stacks" must be an object' };
  const out: Record<string, AppliedStack> = {};
  for (const [name, v] of Object.entries(stacks as Record<string, unknown>)) {
    const e = v as Partial<AppliedStack> | null;
    if (!e || typeof e.digest !== 'string' || !DIGEST.test(e.digest)) return { error: `stacks.${name}.digest must be sha256:<64 hex digits>` };
    if (typeof e.commit !== 'string' || !COMMIT.test(e.commit)) return { error: `stacks.${name}.commit must be a 40-digit commit id` };
    if (typeof e.appliedAt !== 'string' || Number.isNaN(Date.parse(e.appliedAt))) return { error: `stacks.${name}.appliedAt must be an ISO 8601 time` };
    out[name] = { commit: e.commit, digest: e.digest, appliedAt: e.appliedAt };
  }
  return { record: { version: 1, stacks: out } };
}
