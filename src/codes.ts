// The catalogue of diagnostic codes. docs/errors.md is generated from it
// (npm run docs) and CI fails when the two drift apart.

import type { Severity } from './diagnostics';

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  /** What went wrong and why accessctl refuses it. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

function code(severity: Severity, title: string, explanation: string, fix: string): CodeInfo {
  return { severity, title, explanation, fix };
}

export const CODES = {
  // Files and encoding
  ACC001: code('error', 'file is not valid UTF-8',
    'Access files are read as UTF-8. A file in another encoding (UTF-16, Latin-1) or with a stray binary byte cannot be read reliably, so it is refused rather than guessed at.',
    'Save the file as UTF-8. The diagnostic points at the line holding the first invalid byte.'),
  ACC002: code('error', 'file too large',
    'Files over the size cap are refused before parsing so that a runaway or hostile file cannot exhaust memory.',
    'Split the declarations over several files (groups and permission sets take one file each; accounts may be split under access/accounts/).'),
  ACC003: code('error', 'unrecognised file',
    'A YAML file in a place accessctl does not read would be ignored, and whatever it declares would silently not exist. Only settings.yaml, accounts.yaml (or accounts/**), people.yaml, policy.yaml, permission-sets/** and groups/** are read.',
    'Move the file to the folder of its kind, or rename it. Files that do not end in .yaml or .yml are ignored.'),
  ACC004: code('error', 'required file missing',
    'settings.yaml and at least one accounts file must exist: without them nothing can be checked against the real org.',
    'Create the file; the example org in the accessctl repository shows its shape.'),
  ACC005: code('error', 'access directory not found',
    'The directory given with --dir (default access) does not exist or is not a directory.',
    'Run from the repository root or pass --dir.'),
  ACC006: code('error', 'empty file',
    'An empty file (or one with only comments) is an error, never "nothing declared": an editor accident must not read as the revocation of everything the file used to grant.',
    'Write the declarations back, or delete the file if the removal is intended.'),
  ACC007: code('error', 'file cannot be read',
    'The file exists but reading it failed (permissions, a broken link, a directory where a file was expected).',
    'Check the file system; the message carries the operating system error.'),

  // YAML
  ACC010: code('error', 'YAML syntax error',
    'The file is not valid YAML.',
    'Fix the syntax at the position given; a quoted string or consistent indentation usually does it.'),
  ACC011: code('error', 'tab used for indentation',
    'YAML forbids tabs for indentation. Editors that mix tabs and spaces produce files that look right and mean something else.',
    'Indent with spaces.'),
  ACC012: code('error', 'duplicate key',
    'A mapping has the same key twice. YAML parsers disagree about which one wins, so a reviewer may read one value while Terraform applies the other.',
    'Remove one of the two keys.'),
  ACC013: code('error', 'too many aliases',
    'The file expands more aliases than the cap allows. A small file whose aliases expand exponentially (a "billion laughs" alias bomb) is refused instead of hanging the run.',
    'Write the values out, or use fewer aliases.'),
  ACC014: code('error', 'unresolved alias',
    'An alias (*name) refers to an anchor (&name) that is not defined before it.',
    'Define the anchor first, or write the value out.'),
  ACC015: code('error', 'more than one YAML document',
    'Each access file holds exactly one YAML document; a second document after --- would be ignored by some tools.',
    'Move the second document into its own file.'),
  ACC016: code('error', 'YAML tag not allowed',
    'Explicit or custom YAML tags (!tag, !!binary) change how a value is read and are not needed in access files.',
    'Remove the tag; quote the value if it must stay a string.'),

  // Schema
  ACC020: code('error', 'unknown key',
    'The key is not part of the file format. It is most often a typo, and a typo in a key would otherwise silently drop what it declares.',
    'Use one of the keys the message lists (the schema in schemas/ names all of them; editors with the yaml-language-server comment complete them).'),
  ACC021: code('error', 'wrong type',
    'The value has the wrong type, such as a mapping where a list is expected.',
    'Write the value in the type the message names.'),
  ACC022: code('error', 'missing required key',
    'A key that the file format requires is missing.',
    'Add the key.'),
  ACC023: code('error', 'invalid value',
    'The value does not meet the format, length or range the file format (and AWS or Okta) allows.',
    'Change the value as the message describes.'),
  ACC024: code('error', 'invalid date',
    'A date must be a real calendar date written YYYY-MM-DD (2026-02-30 is not one).',
    'Write a valid date in the form YYYY-MM-DD.'),
  ACC025: code('error', 'account id must be a quoted string',
    'An unquoted 12-digit account id is read by YAML as a number: leading zeros are lost (012345678901 becomes 12345678901) and the id no longer matches the account.',
    'Quote the id: id: "012345678901".'),
  ACC026: code('error', 'duplicate list item',
    'A list that must hold distinct values names the same value twice.',
    'Remove the repeated item.'),

  // Names that must be unique
  ACC030: code('error', 'duplicate group name',
    'Two files declare a group with the same name. Group names are the Okta group name and the Identity Store display name, and they key the Terraform resources.',
    'Rename or merge one of the groups.'),
  ACC031: code('error', 'duplicate permission set name',
    'Two files declare a permission set with the same name.',
    'Rename or merge one of the permission sets.'),
  ACC032: code('error', 'duplicate account name',
    'Two accounts have the same name, so a grant naming it would be ambiguous.',
    'Give each account a unique name.'),
  ACC033: code('error', 'duplicate account id',
    'The same AWS account id is declared twice.',
    'Remove one of the two entries.'),
  ACC034: code('error', 'duplicate person',
    'Two entries in people.yaml have logins that Okta treats as the same (logins are unique ignoring case and accents).',
    'Keep one entry per person.'),
  ACC035: code('error', 'duplicate member',
    'A group lists the same person twice (logins compare ignoring case and accents). With an expiry on one entry and not on the other, it would be unclear whether the access is temporary.',
    'Keep one entry per person.'),
  ACC036: code('error', 'duplicate GitHub handle',
    'Two people in people.yaml have the same GitHub handle (handles compare ignoring case).',
    'Correct one of the handles.'),
  ACC037: code('warning', 'file name does not match the declared name',
    'A group or permission set file is easiest to find, review and assign owners to when its file name is the name it declares.',
    'Rename the file to <name>.yaml.'),
  ACC038: code('warning', 'one person spelled in different ways',
    'The same login is written with different upper/lower case or accents in different places. Okta treats them as one person; reviews and audits are easier when the spelling is the same everywhere.',
    'Use the spelling the message suggests everywhere.'),

  // References
  ACC040: code('error', 'unknown permission set',
    'A grant names a permission set that no file in permission-sets/ declares.',
    'Correct the name (the message suggests the closest one) or add the permission set.'),
  ACC041: code('error', 'unknown account',
    'A grant names an account name or id that accounts.yaml does not declare.',
    'Correct the name or id, or add the account to accounts.yaml.'),
  ACC042: code('error', 'unknown app',
    'A group is assigned to an app key that settings.yaml okta.apps does not declare.',
    'Correct the key or declare the app in settings.yaml.'),
  ACC043: code('error', 'unknown owner',
    'When people.yaml exists, every group owner must be listed there so that owners can be mapped to reviewers.',
    'Correct the login or add the person to people.yaml.'),
  ACC044: code('warning', 'selector matches no account',
    'An ou/tags selector matches no declared account, so the grant currently gives no access. It is usually a typo in the OU path or a tag.',
    'Check the OU path and tags against accounts.yaml.'),
  ACC045: code('error', 'AWS grants on a group that is not pushed to AWS',
    'Groups reach the AWS Identity Store through SCIM only when they are assigned to the AWS IAM Identity Center app in Okta. A group with AWS grants but without that app assignment would never exist in AWS, and its grants could never apply.',
    'Add the AWS app key (for example apps: [aws]) to the group.'),
  ACC046: code('error', 'reserved group name',
    'The AWS Identity Store reserves the group names Administrator and AWSAdministrators; SCIM cannot push a group with either name.',
    'Choose another group name.'),
  ACC047: code('error', 'AWS app missing or ambiguous',
    'AWS grants need exactly one AWS IAM Identity Center app (an app with acsUrl and issuerUrl) in settings.yaml okta.apps.',
    'Declare one AWS IAM Identity Center app in settings.yaml.'),

  // AWS limits
  ACC050: code('error', 'session duration out of range',
    'AWS IAM Identity Center accepts session durations from 1 hour (PT1H) to 12 hours (PT12H). The AWS provider only checks the length of the string, so the error would otherwise surface at apply time.',
    'Use an ISO 8601 duration between PT1H and PT12H, such as PT4H.'),
  ACC051: code('error', 'inline policy too large',
    'An inline policy is provisioned as an IAM role inline policy, whose limit is 10,240 characters excluding whitespace (the Identity Center API itself accepts 32,768, so the failure would appear only when the permission set is provisioned to an account).',
    'Move statements into a customer managed policy, or use AWS managed policies.'),
  ACC052: code('error', 'too many managed policies',
    'Managed and customer managed policies together are attached to one IAM role per account, which allows 10 by default (20 when the quota is raised; set aws.managedPoliciesPerRole in settings.yaml).',
    'Attach fewer policies, merge them, or raise the quota and record it in settings.yaml.'),
  ACC053: code('error', 'unknown AWS managed policy',
    'The name or ARN is not an AWS managed policy. A bare name is resolved to its real ARN including the path (ViewOnlyAccess is arn:aws:iam::aws:policy/job-function/ViewOnlyAccess).',
    'Correct the name (the message suggests the closest one). A policy you wrote yourself belongs in customerManagedPolicies.'),
  ACC054: code('error', 'inline policy is not valid JSON',
    'An inline policy written as a string must be a JSON IAM policy document.',
    'Fix the JSON, or write the policy as YAML.'),
  ACC055: code('error', 'customer managed policy given as a managed policy',
    'managedPolicies holds AWS managed policies only. A policy in your own account is attached by name and path, because IAM Identity Center creates the reference in every target account.',
    'Move it to customerManagedPolicies as {name, path}.'),

  // Git and synthesis
  ACC060: code('error', 'base revision cannot be read',
    'synth and plan compare access/ with a base revision (--base, or by default the merge base with the default branch) to find renamed groups and permission sets and groups that are new in this change. The ref did not resolve, or git failed.',
    'Pass --base with a commit, branch or tag that exists (fetch it first in CI: actions/checkout with fetch-depth: 0), or run outside a git repository to synthesize without a base.'),
  ACC061: code('error', 'base revision has errors',
    'The access files at the base revision do not validate, so renames since then cannot be detected. Synthesizing without them could turn a rename into destroy and create.',
    'Fix the access files on the base branch first, or pass --base with a revision that validates.'),
  ACC062: code('error', 'output cannot be written',
    'synth writes every stack to a temporary directory next to --out and moves the files into place only when all of them were written. Writing or moving failed, and the previous output was left as it was.',
    'Check that the output directory is writable and the disk is not full.'),
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
