import type { FromSchema } from 'json-schema-to-ts';
import { SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

/**
 * Guardrail settings. Every rule is on with its defaults unless set here:
 * `false` turns a rule off, a mapping sets its options.
 */
export const policySchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}policy.schema.json`,
  title: 'accessctl policy',
  description: 'Guardrail settings (access/policy.yaml): every rule is on with its defaults unless set here.',
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: {
      type: 'object',
      title: 'rules',
      propertyNames: { type: 'string', title: 'rule id', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
      additionalProperties: {
        if: { type: 'boolean' },
        then: { type: 'boolean' },
        else: { type: 'object', title: 'rule options' },
      },
    },
  },
} as const;

export type PolicyFileDocument = FromSchema<typeof policySchema, { parseIfThenElseKeywords: true }>;
