import type { FromSchema } from 'json-schema-to-ts';
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
    users: {
      type: 'array',
      title: 'users',
      description: 'the Okta logins (people.yaml) who may be granted break-glass access',
      minItems: 1,
      uniqueItems: true,
      items: login,
    },
    maxHours: {
      type: 'integer',
      title: 'longest duration in hours',
      description: 'the longest break-glass grant, 1 to 24 hours (default 4)',
      minimum: 1,
      maximum: 24,
    },
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

export const sensitiveActionsSchema = {
  type: 'array',
  title: 'sensitive actions',
  description: 'the IAM actions that diff, plan-summary, permissions and review report by name when access to them is gained or lost; ' +
    'service:Action, with * and ? as IAM reads them (iam:Create*); replaces the default list',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', title: 'action', pattern: '^(\\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$', maxLength: 128 },
} as const;

export interface PolicyFileDocument {
  readonly rules?: Readonly<Record<string, boolean | Readonly<Record<string, unknown>>>>;
  readonly waivers?: readonly WaiverEntry[];
  readonly approvals?: Readonly<Record<string, boolean | Readonly<Record<string, unknown>>>>;
  readonly breakGlass?: BreakGlassEntry;
  readonly sensitiveActions?: readonly string[];
}


/**
 * What the policy schema needs of a guardrail or an approval rule: its id,
 * title and the JSON Schema of its options (each rule declares them). The
 * schema layer knows no rule: the commands compose the schema from the rule
 * registries (src/policy-schema.ts) and hand the validator to the loader.
 */
export interface RuleSchemaSource {
  readonly id: string;
  readonly title: string;
  readonly options: {
    readonly properties: Readonly<Record<string, unknown>>;
    readonly additionalProperties?: unknown;
  };
}

/** A rule's entry under rules or approvals: false or true, or a mapping of its options (plus severity for a guardrail). */
function settingSchema(rule: RuleSchemaSource, extra: Record<string, unknown> = {}): object {
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

const POLICY_HEADER = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}policy.schema.json`,
  title: 'accessctl policy',
  description: 'Guardrail settings and waivers (access/policy.yaml): every rule is on with its defaults unless set here.',
  type: 'object',
  additionalProperties: false,
} as const;

const APPROVALS_TITLE = {
  type: 'object',
  title: 'approvals',
  description: 'who must approve a pull request (accessctl approvals); rules on by default stay on unless set to false',
  additionalProperties: false,
} as const;

/**
 * Guardrail settings and waivers for the given rules: an unknown rule id, an
 * unknown option or a bad threshold is a schema error with the position in
 * policy.yaml. schemas/policy.schema.json is this schema for every rule.
 */
export function composePolicySchema(guardrails: readonly RuleSchemaSource[], approvals: readonly RuleSchemaSource[]): Record<string, unknown> {
  return {
    ...POLICY_HEADER,
    properties: {
      rules: {
        type: 'object',
        title: 'rules',
        additionalProperties: false,
        properties: Object.fromEntries(guardrails.map((r) => [r.id, settingSchema(r, SEVERITY)])),
      },
      waivers: {
        type: 'array',
        title: 'waivers',
        items: { ...waiverSchema, properties: { ...waiverSchema.properties, rule: { ...waiverSchema.properties.rule, enum: guardrails.map((r) => r.id) } } },
      },
      approvals: {
        ...APPROVALS_TITLE,
        properties: Object.fromEntries(approvals.map((r) => [r.id, settingSchema(r)])),
      },
      breakGlass: breakGlassSchema,
      sensitiveActions: sensitiveActionsSchema,
    },
  };
}

/** Any rule's setting: true or false, or a mapping of options that only a schema that knows the rule can check. */
const ANY_SETTING = {
  if: { type: 'boolean' },
  then: { type: 'boolean', title: 'rule on or off' },
  else: { type: 'object', title: 'rule options' },
} as const;

/**
 * The policy schema when no rules are given (a loader or validator built
 * without the commands' schema, as tests do): the shape of policy.yaml, with
 * rule ids and options left to whoever knows the rules. The commands always
 * validate with composePolicySchema over the registries.
 */
export const OPEN_POLICY_SCHEMA: Record<string, unknown> = {
  ...POLICY_HEADER,
  properties: {
    rules: { type: 'object', title: 'rules', additionalProperties: ANY_SETTING },
    waivers: { type: 'array', title: 'waivers', items: waiverSchema },
    approvals: { ...APPROVALS_TITLE, additionalProperties: ANY_SETTING },
    breakGlass: breakGlassSchema,
    sensitiveActions: sensitiveActionsSchema,
  },
};
