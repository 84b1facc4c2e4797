import type { FromSchema } from 'json-schema-to-ts';
import { addDays, daysBetween } from '../../util/dates';
import { defineRule } from '../rule';

const OPTIONS = {
  type: 'object',
  properties: {
    days: { type: 'integer', title: 'days of notice', minimum: 1, maximum: 180 },
  },
} as const;

/** IAM Identity Center SCIM access tokens expire one year after they are generated. */
const TOKEN_LIFETIME_DAYS = 365;

export default defineRule<Required<FromSchema<typeof OPTIONS>>>({
  id: 'scim-token-age',
  title: 'the SCIM token is rotated before it expires',
  severity: 'warning',
  rationale: 'IAM Identity Center SCIM tokens expire one year after they are generated. After that Okta can no longer create, update or deactivate users ' +
      'in AWS: new members get no AWS user, and people who leave keep theirs. settings.yaml records the day the token was issued (scim.tokenIssued), so ' +
      'the expiry can be announced in every validation before it happens.',
  remediation: 'Generate a new token in IAM Identity Center > Settings > Automatic provisioning, store it in the CI secret OKTA_AWS_SCIM_TOKEN, and set ' +
      'scim.tokenIssued to today in a reviewed change; the apply re-creates the connection with it (docs/ci.md). Then delete the old token in AWS.',
  options: OPTIONS,
  defaults: { days: 30 },
  check(model, { options, today }) {
    return model.settings.okta.apps.flatMap((app) => {
      if (app.kind !== 'aws' || app.scim === undefined) return [];
      const expires = addDays(app.scim.tokenIssued, TOKEN_LIFETIME_DAYS);
      const left = daysBetween(today, expires);
      if (left > options.days) return [];
      return [{
        subject: `scim|${app.key}`,
        at: app.scim.tokenIssuedSource,
        ...(left <= 0 ? { severity: 'error' as const } : {}),
        message: left <= 0
          ? `the SCIM token of the AWS app "${app.key}" (issued ${app.scim.tokenIssued}) expired on ${expires}: Okta can no longer provision or deactivate ` +
              `AWS users`
          : `the SCIM token of the AWS app "${app.key}" (issued ${app.scim.tokenIssued}) expires on ${expires} (${left} day${left === 1 ? '' : 's'} left)`,
      }];
    });
  },
});
