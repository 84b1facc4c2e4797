import { defineRule } from '../rule';

export default defineRule<Record<string, never>>({
  id: 'aws-app-assignment',
  title: 'groups with AWS grants are pushed to the AWS app',
  severity: 'error',
  rationale: 'A group reaches the AWS Identity Store only through Group Push to the AWS IAM Identity Center app, and its members only through the app\'s ' +
      'assignment group, which holds the members of every group with apps: [aws]. A group with AWS grants but without the app never exists in AWS: its ' +
      'members never get the access the file promises.',
  remediation: 'Add the AWS app key to the group (apps: [aws]); if settings.yaml declares no AWS IAM Identity Center app, declare it.',
  options: { type: 'object', properties: {} },
  defaults: {},
  check(model) {
    const awsApp = model.settings.okta.apps.find((a) => a.kind === 'aws');
    return model.groups
      .filter((g) => g.grants.length > 0 && !g.pushedToAws)
      .map((g) => ({
        subject: g.name,
        at: g.grants[0].source,
        message: awsApp
          ? `group "${g.name}" has AWS grants but does not list the AWS app "${awsApp.key}", so it is never pushed to AWS`
          : `group "${g.name}" has AWS grants, but settings.yaml declares no AWS IAM Identity Center app`,
        hint: awsApp ? `add apps: [${awsApp.key}]` : 'declare the app (label, acsUrl, issuerUrl, mfa) under okta.apps in settings.yaml',
      }));
  },
});
