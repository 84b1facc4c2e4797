import type { FromSchema } from 'json-schema-to-ts';
import { SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

/** The resource types accessctl synthesizes, which an import entry may adopt. */
export const IMPORTABLE_RESOURCES = [
  'okta_group',
  'okta_group_memberships',
  'okta_group_owner',
  'okta_app_saml',
  'okta_app_group_assignments',
  'okta_app_group_assignment',
  'okta_push_group',
  'aws_ssoadmin_permission_set',
  'aws_ssoadmin_managed_policy_attachment',
  'aws_ssoadmin_customer_managed_policy_attachment',
  'aws_ssoadmin_permission_set_inline_policy',
  'aws_ssoadmin_permissions_boundary_attachment',
  'aws_ssoadmin_account_assignment',
] as const;

export const importSchema = {
  type: 'object',
  title: 'import',
  additionalProperties: false,
  required: ['resource', 'key', 'id'],
  properties: {
    resource: { title: 'resource type', description: 'the Terraform resource type accessctl synthesizes', enum: IMPORTABLE_RESOURCES },
    key: {
      type: 'string',
      title: 'key',
      description: 'the instance key, as docs/stacks.md lists it (a group name, "group|permission set|account id", ...)',
      minLength: 1,
      maxLength: 512,
    },
    id: {
      type: 'string',
      title: 'import id',
      description: 'the id Terraform imports the existing object by, in the format of the resource type',
      minLength: 1,
      maxLength: 2048,
    },
  },
} as const;

export const importsSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}imports.schema.json`,
  title: 'accessctl imports',
  description: 'Optional: existing Okta and AWS objects the first apply adopts with Terraform import blocks; written by accessctl import, deleted after ' +
      'the first apply (access/imports.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['imports'],
  properties: {
    imports: { type: 'array', title: 'imports', items: importSchema },
  },
} as const;

export type ImportsDocument = FromSchema<typeof importsSchema>;
