import type { FromSchema } from 'json-schema-to-ts';
import { accountId, accountName, ouPath, SCHEMA_BASE_URL, SCHEMA_DIALECT, tags } from './common';

/** An account's OU: AWS Organizations allows five levels of OUs below the root ("Root" names the root itself). */
const accountOu = {
  ...ouPath,
  description: 'OU names from the root joined by "/", such as Workloads/Prod, at most 5 levels deep (AWS allows 5 levels of OUs below the root); "Root" ' +
      'for an account directly under the root',
  pattern: '^[^/*]+(/[^/*]+){0,4}$',
} as const;

export const accountSchema = {
  type: 'object',
  title: 'account',
  additionalProperties: false,
  required: ['name', 'id', 'ou'],
  properties: {
    name: accountName,
    id: accountId,
    ou: accountOu,
    description: { type: 'string', title: 'description', maxLength: 1024 },
    tags,
  },
} as const;

export const accountsSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}accounts.schema.json`,
  title: 'accessctl accounts',
  description: 'The AWS accounts grants may name (access/accounts.yaml, or several files under access/accounts/).',
  type: 'object',
  additionalProperties: false,
  required: ['accounts'],
  properties: {
    accounts: { type: 'array', title: 'accounts', items: accountSchema },
  },
} as const;

export type AccountsDocument = FromSchema<typeof accountsSchema>;
