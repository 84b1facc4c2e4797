import type { FromSchema } from 'json-schema-to-ts';
import { RULES, RULE_IDS } from '../guardrails/registry';
import type { Rule } from '../guardrails/rule';
import { APPROVAL_RULES } from '../approvals/registry';
import type { ApprovalRule } from '../approvals/rule';
import { groupName, isoDate, login, SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';

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

export const breakGlassSchema = {
  type: 'object',
  title: 'break-glass',
  description: 'who may be granted access with accessctl break-glass, to which groups, for how long, and whose approval suffices',
  additionalProperties: false,
  required: ['groups', 'users'],
  properties: {
    groups: { type: 'array', title: 'groups', description: 'the groups break-glass may add someone to', minItems: 1, uniqueItems: true, items: groupName },
    users: { type: 'array', title: 'users', description: 'the Okta logins (people.yaml) who may be granted break-glass access', minItems: 1, uniqueItems: true, items: login },
    maxHours: { type: 'integer', title: 'longest duration in hours', description: 'the longest break-glass grant, 1 to 24 hours (default 4)', minimum: 1, maximum: 24 },
    approvers: {
      type: 'array',
      title: 'on-call approvers',
      description: 'people (Okta logins of people.yaml) or teams (@org/team) of whom one approval lets a break-glass change merge',
      uniqueItems: true,
      items: { type: 'string', title: 'approver', minLength: 1, maxLength: 256 },
    },
    withoutApproval: {
      type: 'array',
      title: 'users who need no approval',
      description: 'named people among users whose own break-glass grant may merge without any approval (the retrospective still follows)',
      uniqueItems: true,
      items: login,
    },
  },
} as const;

export type BreakGlassEntry = FromSchema<typeof breakGlassSchema>;

export interface PolicyFileDocument {
  readonly rules?: Readonly<Record<string, boolean | Readonly<Record<string, unknown>>>>;
  readonly waivers?: readonly WaiverEntry[];
  readonly approvals?: Readonly<Record<string, boolean | Readonly<Record<string, unknown>>>>;
  readonly breakGlass?: BreakGlassEntry;
}


/** A rule's entry under rules or approvals: false or true, or a mapping of its options (plus severity for a guardrail). */
function settingSchema(rule: { id: string; title: string; options: Rule<unknown>['options'] }, extra: Record<string, unknown> = {}): object {
  return {
    if: { type: 'boolean' },
    then: { type: 'boolean', title: `${rule.id} on or off` },
    else: {
      type: 'object',
      title: `${rule.id} options`,
      description: rule.title,
      additionalProperties: rule.options.additionalProperties ?? false,
      properties: { ...extra, ...rule.options.properties },
    },
  };
}

const SEVERITY = { severity: { title: 'severity', description: 'error blocks validate, synth and CI; warning is reported', enum: ['error', 'warning'] } };

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
      properties: Object.fromEntries(RULES.map((r) => [r.id, settingSchema(r as Rule<unknown>, SEVERITY)])),
    },
    waivers: {
      type: 'array',
      title: 'waivers',
      items: { ...waiverSchema, properties: { ...waiverSchema.properties, rule: { ...waiverSchema.properties.rule, enum: [...RULE_IDS] } } },
    },
    approvals: {
      type: 'object',
      title: 'approvals',
      description: 'who must approve a pull request (accessctl approvals); rules on by default stay on unless set to false',
      additionalProperties: false,
      properties: Object.fromEntries(APPROVAL_RULES.map((r) => [r.id, settingSchema(r as ApprovalRule<unknown>)])),
    },
    breakGlass: breakGlassSchema,
  },
} as const;
