/**
 * Step 1: settings.yaml. Fills in the defaults and checks what its schema
 * cannot express: one AWS app, the SCIM URL, MFA on Classic orgs, the Okta
 * domain and the partition of the ARNs it writes into the stacks.
 */
import { partitionMismatch, partitionOf } from '../../aws/managed-policies';
import { diag, cmp, type Diagnostic } from '../../diagnostics';
import type { YamlFile } from '../../load/parse';
import { OKTA_BASE_DOMAINS, type SettingsDocument } from '../../schema/settings';
import type { Typed } from './input';
import type { App, AwsApp, Settings } from '../types';
import { at, type ResolveContext } from './context';

export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;
export const DEFAULT_OKTA_BASE_URL = 'okta.com';
export const DEFAULT_GROUP_PUSH = true;
/** The assignment group of an AWS app whose settings name none. */
export function defaultAssignmentGroup(appKey: string): string {
  return `accessctl-${appKey}-users`;
}
export const DEFAULT_MAX_API_CAPACITY = 50;

/** The settings with their defaults filled in (shards come later), or undefined when settings.yaml did not load. */
export function resolveSettings(ctx: ResolveContext): Settings | undefined {
  const typed = ctx.input.settings;
  if (!typed) return undefined;
  const settings = buildSettings(typed);
  const awsApps = awsAppsOf(settings);
  if (awsApps.length > 1) {
    ctx.out.push(diag('ACC047', at(typed.file, ['okta', 'apps']),
      `settings declare ${awsApps.length} AWS IAM Identity Center apps (${awsApps.map((a) => a.key).join(', ')}); one is allowed`));
  }
  ctx.out.push(...checkAwsApps(typed.file, settings));
  ctx.out.push(...checkOktaDomain(typed.file, typed.data, settings));
  ctx.out.push(...checkSettingsArns(typed.file, settings));
  return settings;
}

/** The apps groups may name, for the group step. */
export interface AppIndex {
  /** Every app key settings.yaml declares. */
  readonly keys: Set<string>;
  /** The AWS IAM Identity Center apps, in key order. */
  readonly aws: AwsApp[];
  readonly awsKeys: Set<string>;
}

export function appIndex(settings: Settings | undefined): AppIndex {
  const aws = settings ? awsAppsOf(settings) : [];
  return { keys: new Set(settings?.okta.apps.map((a) => a.key) ?? []), aws, awsKeys: new Set(aws.map((a) => a.key)) };
}

function awsAppsOf(settings: Settings): AwsApp[] {
  return settings.okta.apps.filter((a): a is AwsApp => a.kind === 'aws');
}

function buildSettings({ file, data }: Typed<SettingsDocument>): Settings {
  const apps: App[] = Object.entries(data.okta.apps)
    .map(([key, a]): App =>
      'id' in a
        ? { kind: 'existing', key, label: a.label, id: a.id }
        : {
            kind: 'aws',
            key,
            label: a.label,
            acsUrl: a.acsUrl,
            issuerUrl: a.issuerUrl,
            mfa: a.mfa,
            assignmentGroup: a.assignmentGroup ?? defaultAssignmentGroup(key),
            ...(a.scim !== undefined
              ? {
                  scim: {
                    baseUrl: a.scim.baseUrl,
                    tokenIssued: a.scim.tokenIssued,
                    tokenIssuedSource: file.locate(['okta', 'apps', key, 'scim', 'tokenIssued']),
                  },
                }
              : {}),
            source: file.locate(['okta', 'apps', key], 'key'),
            assignmentGroupSource: a.assignmentGroup !== undefined
              ? file.locate(['okta', 'apps', key, 'assignmentGroup'], 'value')
              : file.locate(['okta', 'apps', key], 'key'),
          })
    .sort((x, y) => cmp(x.key, y.key));
  const b = data.backend;
  return {
    okta: {
      org: data.okta.org,
      ...(data.okta.orgType !== undefined ? { orgType: data.okta.orgType } : {}),
      baseUrl: data.okta.baseUrl ?? DEFAULT_OKTA_BASE_URL,
      groupPush: data.okta.groupPush ?? DEFAULT_GROUP_PUSH,
      maxApiCapacity: data.okta.maxApiCapacity ?? DEFAULT_MAX_API_CAPACITY,
      apps,
    },
    aws: {
      region: data.aws.region,
      partition: partitionOf(data.aws.region),
      startUrl: data.aws.startUrl,
      managedPoliciesPerRole: data.aws.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE,
      ...(data.aws.instanceArn !== undefined ? { instanceArn: data.aws.instanceArn } : {}),
      ...(data.aws.identityStoreId !== undefined ? { identityStoreId: data.aws.identityStoreId } : {}),
    },
    backend: b.type === 's3'
      ? { type: 's3', bucket: b.bucket, region: b.region, keyPrefix: b.keyPrefix ?? '', ...(b.kmsKeyId !== undefined ? { kmsKeyId: b.kmsKeyId } : {}) }
      : { type: 'local' },
    github: {
      ...(data.github?.securityTeam !== undefined ? { securityTeam: data.github.securityTeam } : {}),
      ...(data.github?.teams !== undefined ? { teams: [...data.github.teams] } : {}),
    },
    shards: [],
    source: file.locate([]),
  };
}

/** The Okta API token goes to https://<org>.<baseUrl>: an Okta domain, or a custom domain spelled out in full (ACC056, ACC057). */
function checkOktaDomain(file: YamlFile, data: SettingsDocument, settings: Settings): Diagnostic[] {
  const { org, baseUrl } = settings.okta;
  const custom = data.okta.customDomain;
  if (custom === undefined) {
    if (OKTA_BASE_DOMAINS.includes(baseUrl)) return [];
    return [diag('ACC056', file.locate(['okta', 'baseUrl']),
      `okta.baseUrl "${baseUrl}" is not an Okta domain (${OKTA_BASE_DOMAINS.join(', ')}): the Okta API token would be sent to https://${org}.${baseUrl}`,
      `use the domain of your Okta org; for a custom domain you control, also set okta.customDomain: ${org}.${baseUrl}`)];
  }
  if (custom === `${org}.${baseUrl}`) return [];
  return [diag('ACC057', file.locate(['okta', 'customDomain']),
    `okta.customDomain "${custom}" is not the host the Okta API token is sent to, https://${org}.${baseUrl} (okta.org "${org}", okta.baseUrl "${baseUrl}")`,
    'write the host in full as <org>.<baseUrl>, or set okta.org and okta.baseUrl so that they name it')];
}

/** ARNs settings.yaml writes into the stacks, against the partition of their region (ACC100). */
function checkSettingsArns(file: YamlFile, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  const instance = settings.aws.instanceArn !== undefined
    ? partitionMismatch(settings.aws.instanceArn, settings.aws.region, 'aws.instanceArn')
    : undefined;
  if (instance) out.push(diag('ACC100', file.locate(['aws', 'instanceArn']), instance.message, instance.hint));
  const b = settings.backend;
  const kms = b.type === 's3' && b.kmsKeyId?.startsWith('arn:') ? partitionMismatch(b.kmsKeyId, b.region, 'backend.kmsKeyId') : undefined;
  if (kms) out.push(diag('ACC100', file.locate(['backend', 'kmsKeyId']), kms.message, kms.hint));
  return out;
}

/** Checks of the AWS app settings that the schema cannot express: the SCIM base URL and MFA on Classic orgs. */
function checkAwsApps(file: YamlFile, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const app of settings.okta.apps) {
    if (app.kind !== 'aws') continue;
    if (app.mfa === 'required' && settings.okta.orgType === 'classic') {
      out.push(diag('ACC049', file.locate(['okta', 'apps', app.key, 'mfa']),
        `mfa: required needs an app sign-on policy, which only Okta Identity Engine orgs have; settings.yaml says okta.orgType: classic`,
        'on a Classic org set mfa: optional and require MFA for the app in a Classic sign-on rule'
          + ' (the app > Sign On > Sign On Policy, or Security > Authentication);'
          + ' if the org is on Identity Engine, set okta.orgType: identity-engine'));
    }
    if (app.scim !== undefined) {
      const problem = scimUrlProblem(app.scim.baseUrl);
      if (problem !== undefined) {
        out.push(diag('ACC048', file.locate(['okta', 'apps', app.key, 'scim', 'baseUrl']), `SCIM base URL ${JSON.stringify(app.scim.baseUrl)} ${problem}`,
          'copy the SCIM endpoint from IAM Identity Center > Settings > Automatic provisioning: https://scim.<region>.amazonaws.com/<tenant id>/scim/v2'));
      }
    }
  }
  return out;
}

/** Why a SCIM base URL is wrong, or undefined when it is an https URL that ends in /scim/v2. */
export function scimUrlProblem(url: string): string | undefined {
  if (/\s/.test(url)) return 'contains white space';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:') return `uses ${parsed.protocol.replace(/:$/, '')}: the token would travel in clear text; use https`;
  if (parsed.username !== '' || parsed.password !== '') return 'carries a user name or password: the token is the only credential';
  if (parsed.search !== '' || parsed.hash !== '') return 'has a query or fragment, which Okta would keep in front of every SCIM path';
  if (/\/+$/.test(url)) return 'ends with a slash: Okta appends /Users and /Groups to the base URL, so every request would go to …/scim/v2//Users';
  if (!parsed.pathname.endsWith('/scim/v2')) return 'does not end with /scim/v2, as the IAM Identity Center SCIM endpoint does';
  return undefined;
}
