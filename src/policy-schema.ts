// policy.yaml's schema knows every rule: the id of each guardrail and
// approval rule and the schema of its options, which each rule declares. The
// schema layer (src/schema/) knows no rule; this module composes the schema
// from the registries, above both, for the commands (src/cli/), the whole
// check (src/check.ts), synth and the generated schemas/policy.schema.json.
// The loader (src/model/load.ts) only takes the validator it is given:
// composing the schema there would make the model depend on the rules, which
// depend on the model.
import { APPROVAL_RULES } from './approvals/registry';
import { RULES } from './guardrails/registry';
import { composePolicySchema } from './schema/policy';
import { SchemaValidator } from './schema/validate';

/** The policy file's schema with every guardrail and approval rule, as schemas/policy.schema.json holds it. */
export const POLICY_SCHEMA = composePolicySchema(RULES, APPROVAL_RULES);

/** A validator for every kind of file whose policy schema knows every rule: what the commands hand to the loader. */
export function ruleAwareValidator(): SchemaValidator {
  return new SchemaValidator(POLICY_SCHEMA);
}
