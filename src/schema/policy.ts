import type { FromSchema } from 'json-schema-to-ts';
import { RULES, RULE_IDS } from '../guardrails/registry';
import type { Rule } from '../guardrails/rule';
import { isoDate, login, SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

export const waiverSchema = {
  type: 'object',
  title: 'waiver',
  description: 'an accepted exception to one guardrail finding: which rule, which subject, why, until when',
  additionalProperties: false,
  required: ['rule', 'subject', 'reason', 'expires'],
  properties: {
    rule: { type: 'string', title: 'rule id' },
    subject: { type: 'string', title: 'subject', description: 'the finding subject exactly as validate prints it', minLength: 1, maxLength: 512 },
    reason: { type: 'string', title: 'reason', description: 'why the exception is acceptable, at least 10 characters', minLength: 10, maxLength: 1000 },
    expires: { ...isoDate, description: 'the last day the waiver applies, YYYY-MM-DD' },
    approvedBy: login,
  },
} as const;

export type WaiverEntry = FromSchema<typeof waiverSchema>;

export interface PolicyFileDocument {
  readonly rules?: Readonly<Record<string, boolean | Readonly<Record<string, unknown>>>>;
  readonly waivers?: readonly WaiverEntry[];
}

/** A rule's entry under rules: false or true, or a mapping of its options plus severity. */
function ruleSettingSchema(rule: Rule<unknown>): object {
  return {
    if: { type: 'boolean' },
    then: { type: 'boolean', title: `${rule.id} on or off` },
    else: {
      type: 'object',
      title: `${rule.id} options`,
      description: rule.title,
      additionalProperties: rule.options.additionalProperties ?? false,
      properties: {
        severity: { title: 'severity', description: 'error blocks validate, synth and CI; warning is reported', enum: ['error', 'warning'] },
        ...rule.options.properties,
      },
    },
  };
}

/**
 * Guardrail settings and waivers. Built from the rule registry, so an unknown
 * rule id, an unknown option or a bad threshold is a schema error with the
 * position in policy.yaml.
 */
export const policySchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}policy.schema.json`,
  title: 'accessctl policy',
  description: 'Guardrail settings and waivers (access/policy.yaml): every rule is on with its defaults unless set here.',
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      title: 'rules',
      additionalProperties: false,
      properties: Object.fromEntries(RULES.map((r) => [r.id, ruleSettingSchema(r as Rule<unknown>)])),
    },
    waivers: {
      type: 'array',
      title: 'waivers',
      items: { ...waiverSchema, properties: { ...waiverSchema.properties, rule: { ...waiverSchema.properties.rule, enum: [...RULE_IDS] } } },
    },
  },
} as const;
