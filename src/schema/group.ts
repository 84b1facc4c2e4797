import type { FromSchema } from 'json-schema-to-ts';
import { accountRef, appKey, expiry, groupName, login, ouGlob, permissionSetName, SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

export const memberSchema = {
  if: { type: 'string' },
  then: login,
  else: {
    type: 'object',
    title: 'member',
    additionalProperties: false,
    required: ['user'],
    properties: {
      user: login,
      expires: {
        ...expiry,
        description: 'the last day this member keeps access, written YYYY-MM-DD, or the UTC time it ends, written YYYY-MM-DDTHH:MMZ (break-glass access)',
      },
      reason: { type: 'string', title: 'reason', minLength: 1, maxLength: 500 },
      breakGlass: {
        type: 'boolean',
        const: true,
        title: 'break-glass',
        description: 'granted by accessctl break-glass under policy.yaml breakGlass: needs a UTC time in expires and a reason',
      },
    },
  },
} as const;

export const accountSelectorSchema = {
  if: { type: 'array' },
  then: {
    type: 'array',
    title: 'account list',
    minItems: 1,
    uniqueItems: true,
    items: accountRef,
  },
  else: {
    type: 'object',
    title: 'account selector',
    description: 'a list of account names or ids, or a mapping with ou and/or tags (all must match)',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      ou: ouGlob,
      tags: {
        type: 'object',
        title: 'tags',
        minProperties: 1,
        additionalProperties: { type: 'string', title: 'tag value', maxLength: 256 },
      },
    },
  },
} as const;

export const grantSchema = {
  type: 'object',
  title: 'AWS grant',
  additionalProperties: false,
  required: ['permissionSet', 'accounts'],
  properties: {
    permissionSet: permissionSetName,
    accounts: accountSelectorSchema,
  },
} as const;

export const groupSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}group.schema.json`,
  title: 'accessctl group',
  description: 'One Okta group: its members and owners, Okta app assignments and AWS grants (access/groups/<name>.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'mode'],
  properties: {
    name: groupName,
    description: { type: 'string', title: 'description', maxLength: 1024 },
    owners: { type: 'array', title: 'owners', uniqueItems: true, items: login },
    mode: {
      title: 'mode',
      description: 'authoritative: Okta members not listed here are removed; additive: they are left alone',
      enum: ['authoritative', 'additive'],
    },
    members: { type: 'array', title: 'members', items: memberSchema },
    apps: { type: 'array', title: 'apps', uniqueItems: true, items: appKey },
    aws: { type: 'array', title: 'AWS grants', items: grantSchema },
  },
} as const;

export type GroupDocument = FromSchema<typeof groupSchema, { parseIfThenElseKeywords: true }>;
export type MemberEntry = FromSchema<typeof memberSchema, { parseIfThenElseKeywords: true }>;
export type AccountSelectorEntry = FromSchema<typeof accountSelectorSchema, { parseIfThenElseKeywords: true }>;
