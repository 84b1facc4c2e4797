import { accountsSchema } from './accounts';
import { groupSchema } from './group';
import { importsSchema } from './imports';
import { peopleSchema } from './people';
import { permissionSetSchema } from './permission-set';
import { policySchema } from './policy';
import { settingsSchema } from './settings';

/** The kinds of file under access/, each with its schema. */
export const FILE_SCHEMAS = {
  settings: settingsSchema,
  accounts: accountsSchema,
  people: peopleSchema,
  policy: policySchema,
  'permission-set': permissionSetSchema,
  group: groupSchema,
  imports: importsSchema,
} as const;

export type FileKind = keyof typeof FILE_SCHEMAS;

export const FILE_KINDS = Object.keys(FILE_SCHEMAS) as FileKind[];

/** schemas/<kind>.schema.json, relative to the repository root. */
export function schemaFileName(kind: FileKind): string {
  return `${kind}.schema.json`;
}
