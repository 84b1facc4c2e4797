import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSources } from '../../check';
import { diag, type Diagnostic } from '../../diagnostics';
import { parseYaml } from '../../load/parse';
import { displayPath, type SourceFile } from '../../load/source';
import { ruleAwareValidator } from '../../policy-schema';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { instantOf } from '../../util/dates';
import { replaceDirAtomic } from '../../util/fs';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';

/**
 * The example org this repository ships in access/, recognised by its settings.yaml: the Okta org and the access
 * portal no real org has. A fork replaces it (init, or import --fresh) and must not import under its settings.
 */
export const EXAMPLE_ORG = { label: 'Northwind', oktaOrg: 'northwind', startUrl: 'https://d-9067a1b2c3.awsapps.com/start' } as const;

/** Whether settings.yaml is the example org's (see EXAMPLE_ORG); false for anything that does not parse. */
export function isExampleSettings(source: SourceFile): boolean {
  const data = parseYaml(source).file?.data as { okta?: { org?: unknown }; aws?: { startUrl?: unknown } } | null | undefined;
  return data?.okta?.org === EXAMPLE_ORG.oktaOrg && data.aws?.startUrl === EXAMPLE_ORG.startUrl;
}

/** The skeleton's files other than settings.yaml: fixed text, so import recognises them untouched. */
export const SKELETON_FILES: ReadonlyMap<string, string> = new Map([
  ['accounts.yaml', `# yaml-language-server: $schema=../schemas/accounts.schema.json
# Every AWS account a grant may name (accessctl import writes them; by hand:
# aws organizations list-accounts and list-parents). Ids are quoted: unquoted,
# YAML would read a number and drop leading zeros.
accounts: []
#  - name: payments-prod
#    id: "123456789012"
#    ou: Workloads/Prod
#    tags: { env: prod }
`],
  ['people.yaml', `# yaml-language-server: $schema=../schemas/people.schema.json
# Okta logins and GitHub handles: group owners become CODEOWNERS reviewers,
# and approvals count people by these handles.
people: []
#  - { login: alice@example.com, github: alice, name: Alice Example }
`],
  ['policy.yaml', `# yaml-language-server: $schema=../schemas/policy.schema.json
# Guardrails: every rule is on with its defaults unless set here (docs/rules.md).
rules: {}
#  max-session-duration: { prod: PT1H }
#  separation-of-duties: { pairs: [[aws-admins, aws-auditors]] }

# Accepted exceptions: each names the rule and the subject validate prints,
# says why, and ends (docs/rules.md).
# waivers:
#   - rule: high-privilege-expiry
#     subject: aws-admins|alice@example.com
#     reason: Standing access reviewed each quarter (SEC-1)
#     expires: 2027-06-30

# Who must approve a pull request (docs/rules.md#approvals): group-owners,
# shared-files and security-team are on by default.
# approvals:
#   high-privilege-approvers: { count: 2 }

# Break-glass: emergency access for hours (docs/rules.md#break-glass).
# breakGlass:
#   groups: [aws-admins]
#   users: [alice@example.com]
#   maxHours: 4
#   approvers: ["@example/security"]
`],
]);

type SettingFlag = 'okta-org' | 'org-type' | 'acs-url' | 'issuer-url' | 'region' | 'start-url' | 'security-team';

/** A value of settings.yaml that only the user knows: given by its flag, else a <placeholder> the schema refuses. */
interface Field {
  readonly key: string;
  readonly what: string;
  readonly placeholder: string;
}

const FIELDS: Readonly<Record<SettingFlag, Field>> = {
  'okta-org': { key: 'okta.org', what: 'the Okta org name', placeholder: '<okta-org>' },
  'org-type': { key: 'okta.orgType', what: 'identity-engine or classic', placeholder: '<identity-engine-or-classic>' },
  'acs-url': { key: 'okta.apps.aws.acsUrl', what: 'the AWS ACS URL', placeholder: '<aws-acs-url>' },
  'issuer-url': { key: 'okta.apps.aws.issuerUrl', what: 'the AWS issuer URL', placeholder: '<aws-issuer-url>' },
  region: { key: 'aws.region', what: 'the IAM Identity Center region', placeholder: '<aws-region>' },
  'start-url': { key: 'aws.startUrl', what: 'the AWS access portal URL', placeholder: '<aws-access-portal-url>' },
  'security-team': { key: 'github.securityTeam', what: 'the GitHub security team', placeholder: '<@github-org/security-team>' },
};

/** settings.yaml of the skeleton: {flag} stands for a value of FIELDS, {mfa} for the line that depends on the org type. */
const SETTINGS_TEMPLATE = `# yaml-language-server: $schema=../schemas/settings.schema.json
# Written by accessctl init. A value written <like-this> is a placeholder:
# validate reports each one until it holds your value (docs/okta-aws-setup.md
# says where each comes from).
okta:
  # The Okta org name: the subdomain of <org>.okta.com.
  org: {okta-org}
  # okta.com unless the org is on oktapreview.com, okta-emea.com, …
  baseUrl: okta.com
  # Identity Engine or Classic (Admin Console footer: "OIE" or "Classic").
  # App sign-on policies (mfa: required) exist only on Identity Engine.
  orgType: {org-type}
  # Group Push to the AWS app as code (okta_push_group, Okta provider 6.6.0+).
  # Set false on an older provider and push groups by hand (docs/okta-aws-setup.md).
  groupPush: true
  apps:
    aws:
      label: AWS IAM Identity Center
      # Both URLs come from the AWS console: IAM Identity Center > Settings >
      # Identity source > Change identity source > External identity provider.
      acsUrl: {acs-url}
      issuerUrl: {issuer-url}
{mfa}
      # SCIM as code: the endpoint from IAM Identity Center > Settings > Automatic
      # provisioning; the token goes into the CI secret OKTA_AWS_SCIM_TOKEN, never
      # into a file (docs/ci.md).
      # scim:
      #   baseUrl: https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2
      #   tokenIssued: 2026-01-31
aws:
  # The region of IAM Identity Center, such as us-east-1.
  region: {region}
  # The AWS access portal URL (IAM Identity Center > Settings), such as
  # https://d-0123456789.awsapps.com/start.
  startUrl: {start-url}
github:
  # Owner of every file no group owner owns, and approver of high-risk
  # changes: a GitHub team (@org/team) or user (@user).
  securityTeam: {security-team}
# Where Terraform keeps its state: local to start; for CI, S3 (README, "Adopting
# it for a real org"): { type: s3, bucket: …, region: …, keyPrefix: accessctl/ }
backend:
  type: local
`;

const MFA = {
  required: '      # An app sign-on policy that requires MFA (Okta Identity Engine only).\n      mfa: required',
  classic: '      # Classic orgs have no app sign-on policy: require MFA in a Classic sign-on rule.\n      mfa: optional',
};

/** A YAML scalar for a flag's value: plain when that reads back as the same string, else double-quoted. */
function scalar(value: string): string {
  return /^[A-Za-z][A-Za-z0-9._~/:@+=-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

export interface Skeleton {
  readonly files: ReadonlyMap<string, string>;
  /** Where each settings value sits (1-based line and column), given or not. */
  readonly at: ReadonlyMap<SettingFlag, { line: number; column: number; given: boolean }>;
}

/** The skeleton org: settings.yaml with the given values (placeholders for the rest) and SKELETON_FILES. */
export function buildSkeleton(given: Partial<Record<SettingFlag, string>>): Skeleton {
  const lines = SETTINGS_TEMPLATE.replace('{mfa}', given['org-type'] === 'classic' ? MFA.classic : MFA.required).split('\n');
  const at = new Map<SettingFlag, { line: number; column: number; given: boolean }>();
  lines.forEach((line, i) => {
    const m = /\{([a-z-]+)\}$/.exec(line);
    if (!m || !(m[1]! in FIELDS)) return;
    const flag = m[1] as SettingFlag;
    const value = given[flag];
    at.set(flag, { line: i + 1, column: m.index + 1, given: value !== undefined });
    lines[i] = `${line.slice(0, m.index)}${value === undefined ? FIELDS[flag].placeholder : scalar(value)}`;
  });
  return { files: new Map([['settings.yaml', lines.join('\n')], ...SKELETON_FILES]), at };
}

type DirState = { kind: 'missing' | 'empty' | 'example' | 'skeleton'; files: number } | { kind: 'other'; why: string; file: string };

/**
 * What the directory holds: nothing, the example org, the skeleton a bare `init` writes (untouched, so init may run
 * again with flags), or something init must not replace without --force.
 */
function inspect(dir: string, label: string): DirState {
  if (!fs.existsSync(dir)) return { kind: 'missing', files: 0 };
  const files: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else files.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  if (files.length === 0) return { kind: 'empty', files: 0 };
  const bare = buildSkeleton({}).files;
  if (files.length === bare.size && files.every(
    (f) => bare.get(f) === fs.readFileSync(path.join(dir, f), 'utf8'),
  )) return { kind: 'skeleton', files: files.length };
  const name = ['settings.yaml', 'settings.yml'].find((n) => files.includes(n));
  if (name === undefined) return { kind: 'other', why: `${label} holds files and no settings.yaml`, file: label };
  const file = `${label}/${name}`;
  const source: SourceFile = { file, rel: name, bytes: fs.readFileSync(path.join(dir, name)) };
  if (isExampleSettings(source)) return { kind: 'example', files: files.length };
  const org = (parseYaml(source).file?.data as { okta?: { org?: unknown } } | null | undefined)?.okta?.org;
  return { kind: 'other', why: `${label} is not the example org${typeof org === 'string' ? ` (${name} names the Okta org "${org}")` : ''}`, file };
}

/** Whether replacing directory `dir` would replace the working directory too (it is that directory, or holds it). */
export function holdsWorkingDir(dir: string, cwd: string): boolean {
  const rel = path.relative(dir, cwd);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export const init: Command = {
  name: 'init',
  summary: 'replace the example org with a skeleton of your own: settings.yaml with your values, empty accounts and people, default policy',
  usage: `accessctl init [--okta-org ORG] [--org-type identity-engine|classic] [--acs-url URL]
               [--issuer-url URL] [--region REGION] [--start-url URL]
               [--security-team @ORG/TEAM] [--dir DIR] [--force]

Replaces DIR (default: access) with the skeleton of an org of your own:
settings.yaml with the values the flags give, accounts.yaml and people.yaml
with no entries, policy.yaml with every guardrail at its defaults, and no
groups or permission sets. A value no flag gives is written as a <placeholder>
that validate (and import) report, at its line, until you write your value:
nothing can be synthesized or applied with it. With every flag given the
skeleton validates. DIR must be missing, empty, the example org this
repository ships (recognised by its settings.yaml) or the skeleton init
wrote without flags, untouched; anything else is replaced only with --force.
All or nothing: the new directory is written beside DIR and renamed into its
place. Then: fill in the placeholders, and import an existing setup
(docs/import.md) or write the rest by hand.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      force: { type: 'boolean' },
      'okta-org': { type: 'string' },
      'org-type': { type: 'string' },
      'acs-url': { type: 'string' },
      'issuer-url': { type: 'string' },
      region: { type: 'string' },
      'start-url': { type: 'string' },
      'security-team': { type: 'string' },
    });
    if (values['org-type'] !== undefined) choice('org-type', values['org-type'], ['identity-engine', 'classic'] as const, 'identity-engine');
    const dir = path.resolve(io.cwd, values.dir);
    const label = displayPath(io.cwd, dir);
    if (holdsWorkingDir(dir, io.cwd)) throw new UsageError(`--dir ${values.dir} is the working directory or holds it: init replaces the whole directory, ` +
        `so name the access directory itself (such as access)`);
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${values.dir}: ${label} is not a directory`);
    if (fs.existsSync(path.join(dir, '.git'))) throw new UsageError(`--dir ${values.dir}: ${label} is a git repository, not an access directory`);

    const state = inspect(dir, label);
    if (state.kind === 'other' && !values.force) {
      io.stderr(formatDiagnosticsText([diag(
        'ACC120',
        { file: state.file, line: 1, column: 1 },
        `${state.why}: init replaces the whole directory`,
        `pass --force to replace it anyway (git keeps what was committed), or init another --dir`,
      )]));
      io.stderr('init stopped: nothing was written\n');
      return EXIT_FINDINGS;
    }

    const given: Partial<Record<SettingFlag, string>> = {};
    for (const flag of Object.keys(FIELDS) as SettingFlag[]) {
      const v = values[flag];
      if (typeof v === 'string') given[flag] = v;
    }
    const skeleton = buildSkeleton(given);
    const sources: SourceFile[] = [...skeleton.files].map(([rel, text]) => ({ file: `${label}/${rel}`, rel, bytes: Buffer.from(text, 'utf8') }));
    const check = checkSources(sources, { today: instantOf(io.now()), validator: ruleAwareValidator(), dirLabel: label });
    // Every error must sit on a placeholder: any other in settings.yaml comes from the values given (named by flag
    // where it sits on one), and one in another file is a bug of the skeleton.
    const settingsFile = `${label}/settings.yaml`;
    const placeholderAt = (d: Diagnostic): boolean => [...skeleton.at.values()].some((p) => !p.given && p.line === d.line);
    const flagged = (d: Diagnostic): SettingFlag | undefined => [...skeleton.at].find(([, p]) => p.given && p.line === d.line)?.[0];
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    const bad = errors.filter((d) => d.file === settingsFile && !placeholderAt(d));
    if (bad.length > 0) throw new UsageError(bad.map((d) => `${flagged(d) !== undefined ? `--${flagged(d)}` : `the values given (settings.yaml:${d.line})`}: ` +
        `${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n'));
    const unexpected = errors.filter((d) => d.file !== settingsFile);
    if (unexpected.length > 0) throw new Error(`the skeleton does not load: ${formatDiagnosticsText(unexpected)}`);

    let leftover: string | undefined;
    try {
      leftover = replaceDirAtomic(dir, [...skeleton.files].map(([rel, content]) => ({ rel, content })));
    } catch (e) {
      io.stderr(`accessctl init: cannot write ${label}: ` +
          `${(e as Error).message}\n${state.kind === 'missing' ? `${label} was not created` : `${label} is unchanged`}\n`);
      return EXIT_USAGE;
    }
    const written = [...skeleton.files.keys()].join(', ');
    const replaced = {
      example: `replaced the example org (${EXAMPLE_ORG.label}, ${state.kind === 'example' ? state.files : 0} files) with`,
      skeleton: 'replaced the skeleton init wrote with',
      other: 'replaced what it held (--force) with',
      missing: 'wrote',
      empty: 'wrote',
    }[state.kind];
    io.stdout(`${label}: ${replaced} a skeleton org: ${written}\n`);
    if (leftover !== undefined) io.stdout(`(the old directory could not be removed: delete ${displayPath(io.cwd, leftover)})\n`);

    const open = [...skeleton.at].filter(([, p]) => !p.given);
    if (open.length > 0) {
      io.stdout(`\n${settingsFile} holds ${open.length} placeholder${open.length === 1 ? '' : 's'}, which validate reports until each holds your value:\n`);
      io.stdout(open.map(([flag, p]) => `  ${settingsFile}:${p.line}:${p.column}  ${FIELDS[flag].key}: ${FIELDS[flag].what} (--${flag})\n`).join(''));
    } else {
      const warnings = check.diagnostics.filter((d) => d.severity !== 'error');
      io.stdout(`\n${settingsFile} holds your values; validate: ${warnings.length === 0 ? 'clean' : `${warnings.length} warnings`}\n`);
    }
    const steps = [
      ...(open.length > 0 ? [`write your values over the placeholders in ${settingsFile} (docs/okta-aws-setup.md says where each comes from)`] : []),
      `with an existing Okta and AWS setup: export it and run npx accessctl import --okta exports/okta --aws ` +
          `exports/aws${label === 'access' ? '' : ` --out ${label}`} (docs/import.md); otherwise write ${label}/accounts.yaml, permission-sets/ and ` +
          `groups/ by hand`,
      `npx accessctl validate${label === 'access' ? '' : ` --dir ${label}`} until it is clean, then npm start`,
      'commit it on a history of its own, so that audit does not report the example org\'s changes: README, "A history of its own"',
    ];
    io.stdout(`\nnext:\n${steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('')}`);
    return EXIT_OK;
  },
};
