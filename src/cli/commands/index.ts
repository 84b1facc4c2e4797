import type { Command } from '../command';
import { affected } from './affected';
import { approvals } from './approvals';
import { audit } from './audit';
import { awsConfig } from './aws-config';
import { breakGlass } from './break-glass';
import { codeowners } from './codeowners';
import { diff } from './diff';
import { expire } from './expire';
import { unused } from './unused';
import { importCommand } from './import';
import { init } from './init';
import { permissions } from './permissions';
import { plan } from './plan';
import { recordAppliedCommand } from './record-applied';
import { redactPlanCommand } from './redact-plan';
import { request } from './request';
import { retrospective } from './retrospective';
import { review } from './review';
import { planSummary } from './plan-summary';
import { policyCheck } from './policy-check';
import { synth } from './synth';
import { usage } from './usage';
import { validate } from './validate';
import { whoCan } from './who-can';

/** Every command, in the order `accessctl --help` lists them. */
export const COMMANDS: readonly Command[] = [
  validate,
  synth,
  plan,
  diff,
  affected,
  recordAppliedCommand,
  planSummary,
  redactPlanCommand,
  approvals,
  whoCan,
  permissions,
  audit,
  review,
  usage,
  request,
  breakGlass,
  retrospective,
  expire,
  unused,
  codeowners,
  awsConfig,
  init,
  importCommand,
  policyCheck,
];
