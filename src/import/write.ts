// Writing the access/ files the import produces, in this order: accounts.yaml,
// permission-sets/, groups/, people.yaml, then imports.yaml (or imports/ when
// the import blocks are too many for one file).
import { cmp } from '../diagnostics';
import { type ImportContext, yaml } from './context';
import { adoptGroup, type AssignmentsByGroup, matchGrants, matchOwners, refusePausedPushes } from './match';
import type { AwsExports, ImportedAccount, ImportedPermissionSet } from './read-aws';
import type { OktaExports, OktaGroup, OktaPerson } from './read-okta';

/** Below the loader's 4 MiB per-file limit (src/load/source.ts), with room for YAML quoting. */
export const IMPORTS_FILE_BYTES = 3 * 1024 * 1024;

export function writeAccounts(ctx: ImportContext, accounts: readonly ImportedAccount[]): void {
  const header = '# yaml-language-server: $schema=../schemas/accounts.schema.json\n'
    + '# Imported by accessctl import from organizations list-accounts and list-parents.\n';
  ctx.files.set('accounts.yaml', yaml(header, {
    accounts: accounts.map((a) => ({
      name: a.name,
      ...(a.description !== undefined ? { description: a.description } : {}),
      id: a.id,
      ou: a.ou,
      ...(a.tags && Object.keys(a.tags).length > 0 ? { tags: a.tags } : {}),
    })),
  }));
}

export function writePermissionSets(ctx: ImportContext, permissionSets: ReadonlyMap<string, ImportedPermissionSet>): void {
  const header = '# yaml-language-server: $schema=../../schemas/permission-set.schema.json\n# Imported by accessctl import.\n';
  for (const ps of permissionSets.values()) ctx.files.set(`permission-sets/${ps.name}.yaml`, yaml(header, ps.doc));
}

/**
 * One file per imported group, by name, with its owners, apps and AWS grants
 * matched; each group's import blocks added. Refuses paused Group Pushes once
 * every group is seen.
 */
export function writeGroups(ctx: ImportContext, aws: AwsExports, okta: OktaExports, assignmentsByGroup: AssignmentsByGroup): void {
  const paused: string[] = [];
  for (const g of okta.groups.groups.sort((x, y) => cmp(x.name, y.name))) {
    const owners = matchOwners(ctx, okta.groups, g);
    const keys = (okta.apps.appGroups.get(g.id) ?? []).sort(cmp);
    const grants = matchGrants(ctx, aws, g, assignmentsByGroup.get(g.name) ?? []);
    if (owners.length === 0) ctx.notes.push(`group "${g.name}" has no owner in the export: give it one (validate requires it)`);
    writeGroup(ctx, g, { owners, keys, grants });
    if (adoptGroup(ctx, okta.apps, g, keys) === 'paused') paused.push(g.name);
  }
  refusePausedPushes(okta.apps, paused);
}

interface MatchedGroup {
  readonly owners: readonly string[];
  /** The keys of the apps it is assigned to, sorted. */
  readonly keys: readonly string[];
  /** Permission set name -> account names. */
  readonly grants: ReadonlyMap<string, readonly string[]>;
}

function writeGroup(ctx: ImportContext, g: OktaGroup, { owners, keys, grants }: MatchedGroup): void {
  const aws = [...grants].sort(([x], [y]) => cmp(x, y)).map(([permissionSet, names]) => ({ permissionSet, accounts: [...new Set(names)].sort(cmp) }));
  const doc: Record<string, unknown> = {
    name: g.name,
    ...(g.description !== undefined ? { description: g.description } : {}),
    ...(owners.length > 0 ? { owners } : {}),
    mode: g.mode,
    ...(g.members.length > 0 || g.mode === 'authoritative' ? { members: g.members } : {}),
    ...(keys.length > 0 ? { apps: keys } : {}),
    ...(grants.size > 0 ? { aws } : {}),
  };
  const how = g.mode === 'authoritative' ? 'every current member, authoritative' : 'members come from a group rule, additive';
  const header = `# yaml-language-server: $schema=../../schemas/group.schema.json\n# Imported by accessctl import: ${how}.\n`;
  ctx.files.set(`groups/${g.name}.yaml`, yaml(header, doc));
}

export function writePeople(ctx: ImportContext, people: ReadonlyMap<string, OktaPerson>): void {
  if (people.size === 0) return;
  const header = '# yaml-language-server: $schema=../schemas/people.schema.json\n'
    + '# Imported by accessctl import: add GitHub handles (github: ...) for CODEOWNERS.\n';
  ctx.files.set('people.yaml', yaml(header, {
    people: [...people.values()].sort((a, b) => cmp(a.login.toLowerCase(), b.login.toLowerCase())),
  }));
}

/** imports.yaml, or imports/0001.yaml and on when one file would be over the size limit; sorts ctx.imports. */
export function writeImports(ctx: ImportContext): void {
  const { imports } = ctx;
  imports.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.key, b.key));
  const chunks = chunkBySize(imports, ctx.input.maxImportsFileBytes ?? IMPORTS_FILE_BYTES);
  if (chunks.length === 1) {
    const header = '# yaml-language-server: $schema=../schemas/imports.schema.json\n'
      + '# Written by accessctl import: the existing objects the first apply adopts\n'
      + '# (Terraform import blocks). Delete this file after that apply.\n';
    ctx.files.set('imports.yaml', yaml(header, { imports }));
    return;
  }
  chunks.forEach((chunk, i) => {
    const header = '# yaml-language-server: $schema=../../schemas/imports.schema.json\n'
      + `# Written by accessctl import, part ${i + 1} of ${chunks.length}: the existing objects the first apply\n`
      + '# adopts (Terraform import blocks). Delete imports/ after that apply.\n';
    ctx.files.set(`imports/${String(i + 1).padStart(4, '0')}.yaml`, yaml(header, { imports: chunk }));
  });
}

/** Consecutive runs of entries whose YAML stays under `maxBytes` (JSON length bounds the YAML one). */
function chunkBySize<T>(entries: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = [[]];
  let size = 0;
  for (const e of entries) {
    const n = Buffer.byteLength(JSON.stringify(e), 'utf8') + 16;
    if (size + n > maxBytes && out[out.length - 1]!.length > 0) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(e);
    size += n;
  }
  return out;
}
