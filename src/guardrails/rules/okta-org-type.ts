import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'okta-org-type',
  title: 'settings state the Okta org type',
  severity: 'error',
  rationale: 'Okta Identity Engine and Classic orgs support different resources: app sign-on policies (mfa: required) exist only on Identity Engine, and ' +
      'on a Classic org their first apply fails. accessctl checks the settings against the org type only when settings.yaml states it.',
  remediation: 'Add okta.orgType: identity-engine or okta.orgType: classic to settings.yaml (the Admin Console footer shows the version: OIE or Classic).',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    const okta = model.settings.okta;
    if (okta.orgType !== undefined) return [];
    const mfa = okta.apps.find((a) => a.kind === 'aws' && a.mfa === 'required');
    return [{
      subject: 'settings',
      at: model.settings.source,
      message: `settings.yaml does not say whether the Okta org runs Identity Engine or ` +
          `Classic${mfa ? `; the AWS app "${mfa.key}" has mfa: required, whose app sign-on policy exists only on Identity Engine` : ''}`,
      hint: 'add okta.orgType: identity-engine (or classic) under okta',
    }];
  },
});
