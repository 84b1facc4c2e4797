import type { FromSchema } from 'json-schema-to-ts';
import { groupName, httpsUrl, isoDate, SCHEMA_BASE_URL, SCHEMA_DIALECT } from './common';
import { accountSelectorSchema } from './group';

/** Okta's own org domains: okta.baseUrl may name another domain only together with okta.customDomain (ACC056). */
export const OKTA_BASE_DOMAINS: readonly string[] = ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com', 'okta.mil'];

const awsRegion = {
  type: 'string',
  title: 'AWS region',
  description: 'an AWS region name such as us-east-1',
  pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$',
} as const;

/** The Okta app for AWS IAM Identity Center: SAML sign-in and SCIM provisioning. */
const awsApp = {
  type: 'object',
  title: 'AWS IAM Identity Center app',
  additionalProperties: false,
  required: ['label', 'acsUrl', 'issuerUrl', 'mfa'],
  properties: {
    label: { type: 'string', title: 'label', minLength: 1, maxLength: 100 },
    acsUrl: { ...httpsUrl, title: 'AWS ACS URL', description: 'the IAM Identity Center Assertion Consumer Service URL, from the AWS console' },
    issuerUrl: { ...httpsUrl, title: 'AWS issuer URL', description: 'the IAM Identity Center issuer URL, from the AWS console' },
    mfa: {
      title: 'MFA',
      description: 'required: an app sign-on policy demands MFA (Okta Identity Engine orgs only); optional: the org default applies',
      enum: ['required', 'optional'],
    },
    assignmentGroup: {
      ...groupName,
      title: 'assignment group',
      description: 'the Okta group accessctl creates and assigns to the app; its members are everyone in a group pushed to AWS (default accessctl-<app ' +
          'key>-users). No group file may use this name',
    },
    scim: {
      type: 'object',
      title: 'SCIM provisioning',
      description: 'automatic provisioning as code (okta_app_connection, okta_app_features); the token comes from the CI secret OKTA_AWS_SCIM_TOKEN, never ' +
          'from a file',
      additionalProperties: false,
      required: ['baseUrl', 'tokenIssued'],
      properties: {
        tokenIssued: {
          ...isoDate,
          title: 'SCIM token issued',
          description: 'the day the SCIM token in OKTA_AWS_SCIM_TOKEN was generated: a new date re-creates the connection with the new token, and ' +
              'guardrail scim-token-age warns before it expires (one year after)',
        },
        baseUrl: {
          type: 'string',
          title: 'SCIM base URL',
          description: 'the SCIM endpoint from IAM Identity Center > Settings > Automatic provisioning: ' +
              'https://scim.<region>.amazonaws.com/<tenant>/scim/v2, with no trailing slash',
          minLength: 1,
          maxLength: 2048,
        },
      },
    },
  },
} as const;

/** An Okta app managed elsewhere: accessctl only manages which groups are assigned to it. */
const existingApp = {
  type: 'object',
  title: 'existing Okta app',
  additionalProperties: false,
  required: ['label', 'id'],
  properties: {
    label: { type: 'string', title: 'label', minLength: 1, maxLength: 100 },
    id: { type: 'string', title: 'Okta app id', description: 'an Okta app id such as 0oa1b2c3d4e5f6g7h8i9', pattern: '^0oa[A-Za-z0-9]{17}$' },
  },
} as const;

const localBackend = {
  type: 'object',
  title: 'local backend',
  additionalProperties: false,
  required: ['type'],
  properties: { type: { const: 'local' } },
} as const;

const s3Backend = {
  type: 'object',
  title: 's3 backend',
  additionalProperties: false,
  required: ['type', 'bucket', 'region'],
  properties: {
    type: { const: 's3' },
    bucket: { type: 'string', title: 'bucket', description: 'an S3 bucket name', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    region: awsRegion,
    keyPrefix: {
      type: 'string',
      title: 'key prefix',
      description: 'a prefix for every stack state key, such as accessctl/',
      pattern: '^[A-Za-z0-9!_.*\'()/-]{0,200}$',
    },
    kmsKeyId: { type: 'string', title: 'KMS key id', minLength: 1, maxLength: 2048 },
  },
} as const;

export const settingsSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE_URL}settings.schema.json`,
  title: 'accessctl settings',
  description: 'The Okta org and its apps, the AWS IAM Identity Center instance, and the Terraform backend (access/settings.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['okta', 'aws', 'backend'],
  properties: {
    okta: {
      type: 'object',
      title: 'okta',
      additionalProperties: false,
      required: ['org', 'apps'],
      properties: {
        org: {
          type: 'string',
          title: 'Okta org name',
          description: 'the org subdomain, such as example for example.okta.com',
          pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        },
        baseUrl: {
          type: 'string',
          title: 'Okta base URL',
          description: `the Okta domain: one of ${OKTA_BASE_DOMAINS.join(', ')} (the provider sends the Okta API token to https://<org>.<baseUrl>); any ` +
              `other domain needs customDomain`,
          pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$',
        },
        customDomain: {
          type: 'string',
          title: 'Okta custom domain',
          description: 'only for an org reached through its own domain instead of an Okta domain: the full host name, such as login.example.com, which ' +
              'must equal <org>.<baseUrl>. The Okta API token is sent to this host, so whoever controls the domain receives the token: write it only for ' +
              'a custom domain configured in Okta (Customizations > Domain) that your organization controls',
          maxLength: 253,
          pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$',
        },
        orgType: {
          title: 'Okta org type',
          description: 'identity-engine or classic (Okta Admin Console > Settings > Account, or the footer version: OIE or Classic); app sign-on policies ' +
              '(mfa: required) exist only on Identity Engine',
          enum: ['identity-engine', 'classic'],
        },
        groupPush: {
          type: 'boolean',
          title: 'group push',
          description: 'true: Group Push to the AWS app is managed as code with okta_push_group (Okta provider 6.6.0 or newer); false: push groups by hand ' +
              'as docs/okta-aws-setup.md describes',
        },
        maxApiCapacity: {
          type: 'integer',
          title: 'max API capacity',
          description: 'the share (1-100 percent) of each Okta rate limit bucket Terraform may use',
          minimum: 1,
          maximum: 100,
        },
        apps: {
          type: 'object',
          title: 'apps',
          propertyNames: { type: 'string', title: 'app key', description: 'lower case letters, digits and -', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
          additionalProperties: {
            if: { type: 'object', properties: { id: true }, required: ['id'] },
            then: existingApp,
            else: awsApp,
          },
        },
      },
    },
    aws: {
      type: 'object',
      title: 'aws',
      additionalProperties: false,
      required: ['region', 'startUrl'],
      properties: {
        region: awsRegion,
        startUrl: { ...httpsUrl, title: 'AWS access portal URL' },
        instanceArn: {
          type: 'string',
          title: 'IAM Identity Center instance ARN',
          description: 'an instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef',
          pattern: '^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9.-]{16}$',
        },
        identityStoreId: {
          type: 'string',
          title: 'identity store id',
          description: 'an identity store id such as d-0123456789',
          pattern: '^d-[0-9a-f]{10}$',
        },
        managedPoliciesPerRole: {
          type: 'integer',
          title: 'managed policies per role',
          description: 'the IAM quota of managed policies attached to one role: 10 by default, at most 20 when raised',
          minimum: 1,
          maximum: 20,
        },
      },
    },
    github: {
      type: 'object',
      title: 'github',
      description: 'the GitHub side of reviews: who owns the files no group owner owns (accessctl codeowners)',
      additionalProperties: false,
      properties: {
        securityTeam: {
          type: 'string',
          title: 'security team',
          description: 'a GitHub team (@org/team) or user (@user): owner of settings, accounts, people, policy, permission sets and everything outside ' +
              'access/groups/',
          pattern: '^@[A-Za-z0-9](-?[A-Za-z0-9])*(/[A-Za-z0-9._-]+)?$',
        },
        teams: {
          type: 'array',
          title: 'teams',
          description: 'other GitHub teams (@org/team) policy.yaml may name as approvers',
          uniqueItems: true,
          items: { type: 'string', title: 'team', description: 'a GitHub team written @org/team', pattern: '^@[A-Za-z0-9](-?[A-Za-z0-9])*/[A-Za-z0-9._-]+$' },
        },
      },
    },
    stacks: {
      type: 'object',
      title: 'stacks',
      additionalProperties: false,
      properties: {
        aws: {
          type: 'object',
          title: 'AWS stacks',
          additionalProperties: false,
          properties: {
            shards: {
              type: 'array',
              title: 'shards',
              description: 'account assignments of the accounts a shard selects go to their own stack aws-<name>; the first matching shard wins, the rest ' +
                  'stay in the aws stack',
              items: {
                type: 'object',
                title: 'shard',
                additionalProperties: false,
                required: ['name', 'accounts'],
                properties: {
                  name: {
                    type: 'string',
                    title: 'shard name',
                    description: 'lower case letters, digits and -, at most 40 characters',
                    pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
                  },
                  accounts: accountSelectorSchema,
                },
              },
            },
          },
        },
      },
    },
    backend: {
      if: { type: 'object', properties: { type: { const: 's3' } }, required: ['type'] },
      then: s3Backend,
      else: localBackend,
    },
  },
} as const;

export type SettingsDocument = FromSchema<typeof settingsSchema, { parseIfThenElseKeywords: true }>;
