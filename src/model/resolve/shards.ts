import { diag } from '../../diagnostics';
import type { SettingsDocument } from '../../schema/settings';
import type { Typed } from './input';
import type { Shard } from '../types';
import { resolveAccountSelector, type AccountIndex } from './accounts';
import { at, type ResolveContext } from './context';

/**
 * Step 7: the AWS stack shards of settings.yaml (stacks.aws.shards), each
 * named once (ACC026). Each account goes to the first shard that selects it.
 */
export function resolveShards(ctx: ResolveContext, settings: Typed<SettingsDocument>, accounts: AccountIndex): Shard[] {
  const { file, data } = settings;
  const taken = new Map<string, string>();
  const seen = new Set<string>();
  const shards: Shard[] = [];
  (data.stacks?.aws?.shards ?? []).forEach((sh, i) => {
    if (seen.has(sh.name)) {
      ctx.out.push(diag('ACC026', at(file, ['stacks', 'aws', 'shards', i, 'name']), `shard "${sh.name}" is declared twice`));
      return;
    }
    seen.add(sh.name);
    const { selector, accountIds } = resolveAccountSelector(accounts, sh.accounts, file, ['stacks', 'aws', 'shards', i, 'accounts'], ctx.out);
    const own = accountIds.filter((id) => !taken.has(id));
    own.forEach((id) => taken.set(id, sh.name));
    shards.push({ name: sh.name, selector, accountIds: own });
  });
  return shards;
}
