import type { FromSchema } from 'json-schema-to-ts';
import { login, SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

export const personSchema = {
  type: 'object',
  title: 'person',
  additionalProperties: false,
  required: ['login'],
  properties: {
    login,
    github: {
      type: 'string',
      title: 'GitHub handle',
      description: 'a GitHub user name: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
      pattern: '^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$',
    },
    name: { type: 'string', title: 'name', minLength: 1, maxLength: 200 },
  },
} as const;

export const peopleSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}people.schema.json`,
  title: 'accessctl people',
  description: 'Optional: maps Okta logins to GitHub handles for CODEOWNERS and audit (access/people.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['people'],
  properties: {
    people: { type: 'array', title: 'people', items: personSchema },
  },
} as const;

export type PeopleDocument = FromSchema<typeof peopleSchema>;
