// Which stacks a change touches. Both revisions are laid out the way synth
// lays them out (the same base for both, so pending-group and rename details
// agree), and a stack is affected when its layout or the backend differs. The
// stacks render nothing but their layout and backend, so an unaffected stack
// would synthesize to the same Terraform JSON: its plan cannot change because
// of this pull request.
import { canonicalJson } from '../diff/diff';
import type { Revision } from '../diff/revisions';
import type { AccessModel } from '../model/types';
import { buildLayout, stackLayouts, type BaseRevision, type Layout } from './layout';
import { detectRenames, pairRenamedFiles } from './renames';

export interface Affected {
  /** Stacks of the head whose configuration differs from the base, in synth order. */
  readonly stacks: readonly string[];
  /** Every stack of the head, in synth order. */
  readonly all: readonly string[];
  /** Stacks the base had and the head has not (a shard removed): their state needs attention by hand. */
  readonly removed: readonly string[];
  /** Why each affected stack is listed. */
  readonly reasons: Readonly<Record<string, string>>;
}

function stacksOf(layout: Layout): Map<string, unknown> {
  return new Map<string, unknown>(stackLayouts(layout).map((l): [string, unknown] => [l.stack, l]));
}

/** The stacks touched between two loaded revisions; the head must have a model. */
export function affectedStacks(base: Revision, head: Revision & { model: AccessModel }, today: string): Affected {
  if (!base.model) {
    const all = [...stacksOf(buildLayout({ model: head.model, today })).keys()];
    const why = base.sources.length === 0 ? 'new: the base has no access files' : 'the base does not validate, so every stack is planned';
    return { stacks: all, all, removed: [], reasons: Object.fromEntries(all.map((s) => [s, why])) };
  }
  const renames = detectRenames(base.model, head.model, pairRenamedFiles(base.sources, head.sources));
  const seen: Omit<BaseRevision, 'renames'> = {
    groups: new Set(base.model.groups.map((g) => g.name)),
    permissionSets: new Set(base.model.permissionSets.map((p) => p.name)),
  };
  const before = stacksOf(buildLayout({ model: base.model, today, base: { ...seen, renames: [] } }));
  const after = stacksOf(buildLayout({ model: head.model, today, base: { ...seen, renames } }));
  const all = [...after.keys()];
  const backendChanged = canonicalJson(base.model.settings.backend) !== canonicalJson(head.model.settings.backend);
  const reasons: Record<string, string> = {};
  for (const [stack, layout] of after) {
    const old = before.get(stack);
    if (old === undefined) reasons[stack] = 'new stack';
    else if (backendChanged) reasons[stack] = 'the backend settings changed';
    else if (canonicalJson(old) !== canonicalJson(layout)) reasons[stack] = 'its configuration changes';
  }
  return {
    stacks: all.filter((s) => reasons[s] !== undefined),
    all,
    removed: [...before.keys()].filter((s) => !after.has(s)),
    reasons,
  };
}
