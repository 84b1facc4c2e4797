import { accountsSchema } from './accounts';
import { groupSchema } from './group';
import { importsSchema } from './imports';
import { peopleSchema } from './people';
import { permissionSetSchema } from './permission-set';
import { settingsSchema } from './settings';

/** The kinds of file under access/. */
export type FileKind = 'settings' | 'accounts' | 'people' | 'policy' | 'permission-set' | 'group' | 'imports';

export const FILE_KINDS: FileKind[] = ['settings', 'accounts', 'people', 'policy', 'permission-set', 'group', 'imports'];

/**
 * Each kind of file with its schema. policy.yaml's schema depends on the rules
 * (their ids and option schemas), which this layer does not know: the caller
 * gives it (composePolicySchema over the registries, or OPEN_POLICY_SCHEMA).
 */
export function fileSchemas(policySchema: object): Readonly<Record<FileKind, object>> {
  return {
    settings: settingsSchema,
    accounts: accountsSchema,
    people: peopleSchema,
    policy: policySchema,
    'permission-set': permissionSetSchema,
    group: groupSchema,
    imports: importsSchema,
  };
}

/** schemas/<kind>.schema.json, relative to the repository root. */
export function schemaFileName(kind: FileKind): string {
  return `${kind}.schema.json`;
}
