import type { FromSchema } from 'json-schema-to-ts';
import { isoDuration, permissionSetName, SCHEMA_BASE_URL, SCHEMA_DIALECT, tags } from './common';

const stringOrStrings = {
  if: { type: 'string' },
  then: { type: 'string', minLength: 1 },
  else: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
} as const;

/** An IAM identity-based policy statement; the IAM checker looks deeper. */
export const policyStatementSchema = {
  type: 'object',
  title: 'policy statement',
  additionalProperties: false,
  required: ['Effect'],
  properties: {
    Sid: { type: 'string', title: 'Sid', pattern: '^[A-Za-z0-9]*$' },
    Effect: { title: 'Effect', enum: ['Allow', 'Deny'] },
    Action: stringOrStrings,
    NotAction: stringOrStrings,
    Resource: stringOrStrings,
    NotResource: stringOrStrings,
    Condition: {
      type: 'object',
      title: 'Condition',
      additionalProperties: {
        type: 'object',
        additionalProperties: {
          if: { type: 'array' },
          then: { type: 'array', items: { type: ['string', 'number', 'boolean'] } },
          else: { type: ['string', 'number', 'boolean'] },
        },
      },
    },
  },
} as const;

export const policyDocumentSchema = {
  type: 'object',
  title: 'IAM policy document',
  additionalProperties: false,
  required: ['Version', 'Statement'],
  properties: {
    Version: { title: 'Version', enum: ['2012-10-17', '2008-10-17'] },
    Id: { type: 'string', title: 'Id' },
    Statement: {
      if: { type: 'array' },
      then: { type: 'array', minItems: 1, items: policyStatementSchema },
      else: policyStatementSchema,
    },
  },
} as const;

const customerManagedPolicy = {
  type: 'object',
  title: 'customer managed policy',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      title: 'policy name',
      description: '1-128 characters from letters, digits and + = , . @ _ -',
      pattern: '^[\\w+=,.@-]{1,128}$',
    },
    path: {
      type: 'string',
      title: 'policy path',
      description: '"/" or a path such as /team/payments/ (starts and ends with "/")',
      maxLength: 512,
      pattern: '^/([\\w+=,.@-]+/)*$',
    },
  },
} as const;

export const permissionSetSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}permission-set.schema.json`,
  title: 'accessctl permission set',
  description: 'One AWS IAM Identity Center permission set (access/permission-sets/<name>.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: permissionSetName,
    description: {
      type: 'string',
      title: 'description',
      description: '1-700 characters, printable Latin-1 (the AWS limit)',
      minLength: 1,
      maxLength: 700,
      pattern: '^[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*$',
    },
    sessionDuration: { ...isoDuration, description: 'an ISO 8601 duration from PT1H to PT12H, such as PT4H' },
    relayState: {
      type: 'string',
      title: 'relay state',
      description: 'the https:// URL users land on after sign-in, such as https://console.aws.amazon.com/ec2/: at most 240 characters from letters, digits ' +
          'and & $ @ # \\ / % ? = ~ _ \' " | ! : , . ; * + [ ] ( ) { } - (AWS requires a URL; accessctl accepts https only)',
      minLength: 1,
      maxLength: 240,
      format: 'uri',
      pattern: '^https://[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?([/?#][a-zA-Z0-9&$@#\\\\/%?=~_\'"|!:,.;*+\\[\\](){}-]*)?$',
    },
    managedPolicies: {
      type: 'array',
      title: 'managed policies',
      uniqueItems: true,
      items: { type: 'string', title: 'managed policy', minLength: 1, maxLength: 2048 },
    },
    customerManagedPolicies: {
      type: 'array',
      title: 'customer managed policies',
      items: customerManagedPolicy,
    },
    inlinePolicy: {
      if: { type: 'string' },
      then: { type: 'string', title: 'inline policy (JSON)', minLength: 1 },
      else: policyDocumentSchema,
    },
    permissionsBoundary: {
      type: 'object',
      title: 'permissions boundary',
      description: 'either managedPolicy (an AWS managed policy name or ARN) or customerManagedPolicy ({name, path})',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        managedPolicy: { type: 'string', title: 'managed policy', minLength: 1, maxLength: 2048 },
        customerManagedPolicy: customerManagedPolicy,
      },
    },
    tags,
  },
} as const;

export type PermissionSetDocument = FromSchema<typeof permissionSetSchema, { parseIfThenElseKeywords: true }>;
export type PolicyDocument = FromSchema<typeof policyDocumentSchema, { parseIfThenElseKeywords: true }>;
