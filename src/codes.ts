// The catalogue of diagnostic codes. docs/errors.md is generated from it
// (npm run docs) and CI fails when the two drift apart.

import type { Severity } from './severity';

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
    'Access files are read as UTF-8. A file in another encoding (UTF-16, Latin-1) or with a stray binary byte cannot be read reliably, so it is refused ' +
        'rather than guessed at.',
    'Save the file as UTF-8. The diagnostic points at the line holding the first invalid byte.'),
  ACC002: code('error', 'file too large',
    'Files over the size cap are refused before parsing so that a runaway or hostile file cannot exhaust memory.',
    'Split the declarations over several files (groups and permission sets take one file each; accounts may be split under access/accounts/).'),
  ACC003: code('error', 'unrecognised file',
    'A YAML file in a place accessctl does not read would be ignored, and whatever it declares would silently not exist. Only settings.yaml, accounts.yaml ' +
        '(or accounts/**), people.yaml, policy.yaml, permission-sets/** and groups/** are read.',
    'Move the file to the folder of its kind, or rename it. A file that does not end in .yaml or .yml is not read and is reported too (ACC008; Markdown ' +
        'files ACC009).'),
  ACC004: code('error', 'required file missing',
    'settings.yaml and at least one accounts file must exist: without them nothing can be checked against the real org.',
    'Create the file; the example org in the accessctl repository shows its shape.'),
  ACC005: code('error', 'access directory not found',
    'The directory given with --dir (default access) does not exist or is not a directory.',
    'Run from the repository root or pass --dir.'),
  ACC006: code('error', 'empty file',
    'An empty file (or one with only comments) is an error, never "nothing declared": an editor accident must not read as the revocation of everything the ' +
        'file used to grant.',
    'Write the declarations back, or delete the file if the removal is intended.'),
  ACC007: code('error', 'file cannot be read',
    'The file exists but reading it failed (permissions, a broken link, a directory where a file was expected).',
    'Check the file system; the message carries the operating system error.'),
  ACC008: code('error', 'file not read',
    'A file under the access directory whose name does not end in .yaml or .yml (x.YAML, x.Yml, x.json, a name without an extension) is not read. Skipped ' +
        'in silence, an admin group written as groups/admins.YAML or groups/admins.json would vanish from the model, and from AWS and Okta, while ' +
        'validate says "valid".',
    'Rename the file to end in lower-case .yaml (the hint names the new name). accessctl reads only YAML: convert a JSON file, or move any other file out ' +
        'of the access directory.'),
  ACC009: code('warning', 'Markdown file not read',
    'A Markdown file (README.md, notes) under the access directory is not read. It is allowed, since notes beside the files are common, but reported so ' +
        'that no file is skipped without a word.',
    'Nothing to do if the file only holds notes; move it out of the access directory to silence the warning.'),

  // YAML
  ACC010: code('error', 'YAML syntax error',
    'The file is not valid YAML. Most often a line is indented more or less than the lines it belongs with: the items of one list start with - at the same ' +
        'column, the keys of one mapping at the same column, and only a key with nothing after its colon takes the more indented lines below it. The ' +
        'diagnostic points at the line that breaks the pattern (an unclosed quote, [ or { at the character that opens it) and the hint says which line ' +
        'it should be lined up with.',
    'Fix the line at the position given as the hint says; quote a value that holds a colon followed by a space, a # after a space, or starts with a YAML ' +
        'indicator character.'),
  ACC011: code('error', 'tab used for indentation',
    'YAML forbids tabs for indentation. Editors that mix tabs and spaces produce files that look right and mean something else.',
    'Indent with spaces.'),
  ACC012: code('error', 'duplicate key',
    'A mapping has the same key twice. YAML parsers disagree about which one wins, so a reviewer may read one value while Terraform applies the other.',
    'Remove one of the two keys.'),
  ACC013: code('error', 'too many aliases',
    'The file expands more aliases than the cap allows. A small file whose aliases expand exponentially (a "billion laughs" alias bomb) is refused instead ' +
        'of hanging the run.',
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
  ACC017: code('error', 'symbolic link leads outside the access directory',
    'A symbolic link under the access directory is followed only when its target lies inside the directory given with --dir. A link that leads elsewhere ' +
        'would read files that review of the access directory never shows, so it is refused rather than followed or skipped.',
    'Replace the link with the files themselves, or point it at a folder inside the access directory.'),
  ACC018: code('error', 'symbolic link loop',
    'A symbolic link leads to the folder that holds it or to a folder above it, so following it would read the same files again without end.',
    'Remove the link, or point it at a folder that does not contain it.'),
  ACC019: code('error', 'list item indented too far',
    'A line that starts with "- " is indented more than the list items before it. YAML does not read it as a new item: it reads it as more words of the ' +
        'value on the line above, so "- b@example.com" written two spaces to the right of "- a@example.com" makes one member, "a@example.com - ' +
        'b@example.com". The file is valid YAML, but what it means is not what it shows, so it is refused at the line of the "- " rather than reported ' +
        'later as an invalid login or name.',
    'Align the - with the other items of the list (the hint gives the column). If the text really is one value that goes on over several lines, quote it.'),

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
    'An unquoted 12-digit account id is read by YAML as a number: leading zeros are lost (012345678901 becomes 12345678901) and the id no longer matches ' +
        'the account.',
    'Quote the id: id: "012345678901".'),
  ACC026: code('error', 'duplicate list item',
    'A list that must hold distinct values names the same value twice.',
    'Remove the repeated item.'),

  // Names that must be unique
  ACC027: code('error', 'secret in a file',
    'A key that names a secret (token, password, private key, client secret) was found in an access file. Everything under access/ is committed, reviewed ' +
        'and kept in git history forever: a secret written there is disclosed to everyone who can read the repository, and stays disclosed after it is ' +
        'deleted.',
    'Remove the key and rotate the secret. Secrets reach Terraform only from CI secrets: the SCIM token from OKTA_AWS_SCIM_TOKEN (docs/ci.md).'),
  ACC028: code('error', 'control character in a value',
    'A value or key holds a control character (U+0000-U+001F other than tab and line feed, U+007F-U+009F) or a bidirectional formatting character (U+061C, ' +
        'U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), written as a YAML escape such as "\\0" or "\\e" (or raw, for the bidirectional ones: a raw ' +
        'control character anywhere in a file is ACC110). Such characters are invisible or reorder the text in review tools, terminals and the Okta and ' +
        'AWS consoles: a NUL can truncate a value downstream, an escape sequence can rewrite what a terminal shows, and a bidi override can make a ' +
        'reviewed name read differently from what is applied.',
    'Delete the character (the diagnostic points at its line). Write line breaks as a block scalar (|) and nothing else invisible.'),

  ACC030: code('error', 'duplicate group name',
    'Two files declare a group with the same name. Group names are the Okta group name and the Identity Store display name, and they key the Terraform ' +
        'resources.',
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
    'A group lists the same person twice (logins compare ignoring case and accents). With an expiry on one entry and not on the other, it would be unclear ' +
        'whether the access is temporary.',
    'Keep one entry per person.'),
  ACC036: code('error', 'duplicate GitHub handle',
    'Two people in people.yaml have the same GitHub handle (handles compare ignoring case).',
    'Correct one of the handles.'),
  ACC037: code('warning', 'file name does not match the declared name',
    'A group or permission set file is easiest to find, review and assign owners to when its file name is the name it declares.',
    'Rename the file to <name>.yaml.'),
  ACC038: code('warning', 'one person spelled in different ways',
    'The same login is written with different upper/lower case or accents in different places. Okta treats them as one person; reviews and audits are ' +
        'easier when the spelling is the same everywhere. The spelling to follow is the one people.yaml gives, else the most common one; the message ' +
        'names the file and line where it is written (people.yaml when it lists the person).',
    'Use the spelling the message suggests everywhere.'),
  ACC039: code('error', 'group names that differ only in case',
    'Okta group names are unique ignoring case, so AWS-Sandbox-Users and aws-sandbox-users are one name to Okta: creating the second group would fail at ' +
        'apply time, or one file would silently manage the other group.',
    'Rename one of the groups (the message names the file that declares the first one).'),

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
  ACC045: code('error', 'AWS app assignment would share a group with Group Push',
    'accessctl creates one Okta group per AWS IAM Identity Center app, the assignment group, and makes it the only group assigned to the app; every group ' +
        'with apps: [aws] is pushed instead. Okta does not support one group being both assigned to an app and pushed to it (removed members can stay in ' +
        'the pushed AWS group), so a group file may not take the assignment group\'s name, and the AWS app may not be declared a second time as an app ' +
        'managed elsewhere (groups assigned through that entry would be assigned and pushed).',
    'Rename the group, or set okta.apps.<key>.assignmentGroup in settings.yaml to a name no group file uses; remove an app entry whose id is the AWS app\'s.'),
  ACC046: code('error', 'reserved group name',
    'The AWS Identity Store reserves the group names Administrator and AWSAdministrators; SCIM cannot push a group with either name.',
    'Choose another group name.'),
  ACC047: code('error', 'more than one AWS app',
    'settings.yaml okta.apps may declare one AWS IAM Identity Center app (an app with acsUrl and issuerUrl): an Identity Center instance has one external ' +
        'identity provider.',
    'Keep one AWS IAM Identity Center app; declare other apps with their id.'),
  ACC048: code('error', 'SCIM base URL malformed',
    'Okta sends the SCIM token to the base URL and appends /Users and /Groups to it. An http URL would send the token in clear text; a trailing slash, a ' +
        'missing /scim/v2 or a query makes every provisioning request fail, and users then never reach AWS (or are never deactivated there).',
    'Copy the SCIM endpoint from IAM Identity Center > Settings > Automatic provisioning as it is shown: https://scim.<region>.amazonaws.com/<tenant ' +
        'id>/scim/v2, with no trailing slash.'),
  ACC049: code('error', 'MFA sign-on policy on a Classic org',
    'mfa: required is enforced with an app sign-on policy (okta_app_signon_policy), which exists only on Okta Identity Engine orgs; on a Classic org the ' +
        'first apply would fail.',
    'On Classic, set mfa: optional and require MFA with a Classic sign-on rule for the app. If the org runs Identity Engine, say so with okta.orgType: ' +
        'identity-engine.'),

  // AWS limits
  ACC050: code('error', 'session duration out of range',
    'AWS IAM Identity Center accepts session durations from 1 hour (PT1H) to 12 hours (PT12H). The AWS provider only checks the length of the string, so ' +
        'the error would otherwise surface at apply time.',
    'Use an ISO 8601 duration between PT1H and PT12H, such as PT4H.'),
  ACC051: code('error', 'inline policy too large',
    'An inline policy is provisioned as an IAM role inline policy, whose limit is 10,240 characters excluding whitespace (the Identity Center API itself ' +
        'accepts 32,768, so the failure would appear only when the permission set is provisioned to an account).',
    'Move statements into a customer managed policy, or use AWS managed policies.'),
  ACC052: code('error', 'too many managed policies',
    'Managed and customer managed policies together are attached to one IAM role per account, which allows 10 by default (20 when the quota is raised; set ' +
        'aws.managedPoliciesPerRole in settings.yaml).',
    'Attach fewer policies, merge them, or raise the quota and record it in settings.yaml.'),
  ACC053: code('error', 'unknown AWS managed policy',
    'The name or ARN is not an AWS managed policy. A bare name is resolved to its real ARN including the path (ViewOnlyAccess is ' +
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess).',
    'Correct the name (the message suggests the closest one). A policy you wrote yourself belongs in customerManagedPolicies.'),
  ACC054: code('error', 'inline policy is not valid JSON',
    'An inline policy written as a string must be a JSON IAM policy document.',
    'Fix the JSON, or write the policy as YAML.'),
  ACC055: code('error', 'customer managed policy given as a managed policy',
    'managedPolicies holds AWS managed policies only. A policy in your own account is attached by name and path, because IAM Identity Center creates the ' +
        'reference in every target account.',
    'Move it to customerManagedPolicies as {name, path}.'),
  ACC056: code('error', 'Okta base URL is not an Okta domain',
    'The Okta provider sends the Okta API token, which can change every group and app of the org, to https://<okta.org>.<okta.baseUrl>. A baseUrl that is ' +
        'not one of Okta\'s domains (okta.com, oktapreview.com, okta-emea.com, okta-gov.com, okta.mil) would hand the token to whoever controls that ' +
        'domain, so a one-word change in a pull request could exfiltrate it.',
    'Use the Okta domain of your org. An org reached through a custom domain that you control also needs okta.customDomain with the full host name, ' +
        '<org>.<baseUrl>, so that the host is written out where reviewers see it.'),
  ACC057: code('error', 'Okta custom domain does not match',
    'okta.customDomain states in full the host the Okta API token is sent to; it must be exactly <okta.org>.<okta.baseUrl>, or the reviewed host and the ' +
        'one the token goes to differ.',
    'Write customDomain as <org>.<baseUrl>, or correct okta.org and okta.baseUrl.'),

  // Git and synthesis
  ACC060: code('error', 'git revision cannot be read',
    'plan, synth, diff and affected read access/ at git revisions: the base (--base, or by default the merge base with the default branch; the README, ' +
        '"The base revision", gives the rule for each kind of checkout) and, for diff and affected, --head. The ref did not resolve, or git failed while ' +
        'reading it (a missing or damaged object). Nothing is wrong in the access files, so it is reported without a file position, as "accessctl ' +
        '<command>: error ACC060" and git\'s own message, and the command exits 2.',
    'Pass --base with a commit, branch or tag that exists (fetch it first; in CI, actions/checkout with fetch-depth: 0), or --no-base to synthesize ' +
        'without one. When git cannot read an object, repair the clone (git fsck shows what is missing) or clone again.'),
  ACC061: code('error', 'base revision has errors',
    'The access files at the base revision do not validate, so renames since then cannot be detected. Synthesizing without them could turn a rename into ' +
        'destroy and create.',
    'Fix the access files on the base branch first, or pass --base with a revision that validates.'),
  ACC062: code('error', 'output cannot be written',
    'synth writes every stack to a temporary directory next to --out and moves the files into place only when all of them were written. Writing or moving ' +
        'failed, and the previous output was left as it was.',
    'Check that the output directory is writable and the disk is not full.'),

  // Guardrail waivers
  ACC070: code('warning', 'waiver expired',
    'A waiver in policy.yaml is past its expires date, so it no longer waives: the finding it covered is reported again.',
    'Fix what the finding reports, or, if the exception still holds, renew the waiver with a new date and the reason it still applies.'),
  ACC071: code('warning', 'waiver matches no finding',
    'A waiver names a rule and subject that no current finding has. It is most often left over after the problem was fixed, or its subject is misspelled.',
    'Remove the waiver, or correct its subject to the one validate prints for the finding.'),
  ACC072: code('error', 'approval policy names an unknown group',
    'policy.yaml approvals or breakGlass names a group that no group file declares. A rule for a misspelled group would never apply, and a break-glass ' +
        'list with one would let nobody in.',
    'Write the group name as its file under access/groups/ declares it; the message suggests the closest one.'),
  ACC073: code('error', 'approval policy names an unknown team',
    'policy.yaml names a GitHub team as approver that settings.yaml does not declare (github.securityTeam or github.teams), or something that is not a ' +
        'team (@org/team). Declaring the teams in one place keeps a typo from creating an approver nobody belongs to.',
    'Add the team to settings.yaml github.teams, or correct its name.'),
  ACC074: code('error', 'approval policy names an unknown person',
    'policy.yaml names a person who is not in people.yaml, or an approver without a GitHub handle there. Approvals are matched to people through their ' +
        'handles, so such an approver could never approve and such a user could not be told apart from an approver.',
    'Add the person to people.yaml with github: <handle>, or correct the login.'),
  ACC075: code('error', 'break-glass policy is inconsistent',
    'policy.yaml breakGlass lets someone merge without approval who may not use break-glass at all, or names neither approvers nor anyone who needs none, ' +
        'which would make break-glass as slow as any other change.',
    'List everyone in withoutApproval under users too, and name the on-call approvers under approvers.'),

  // Approvals by account, permission set and path (policy.yaml approvals.scoped-approvers, approvals.paths)
  ACC130: code('error', 'approval policy names an unknown account',
    'A scope of policy.yaml approvals.scoped-approvers lists an account name or id that accounts.yaml does not declare. A scope for a misspelled account ' +
        'would never apply, and changes on the account it meant would merge without its approvers.',
    'Write the account as accounts.yaml names it (or its 12-digit id in quotes); the message suggests the closest one.'),
  ACC131: code('error', 'approval policy names an unknown permission set',
    'A scope of policy.yaml approvals.scoped-approvers lists a permission set that no file under permission-sets/ declares. A scope for a misspelled ' +
        'permission set would never apply.',
    'Write the permission set name as its file under access/permission-sets/ declares it; the message suggests the closest one.'),
  ACC132: code('error', 'approval scope matches no account',
    'The ou and tags of a scope of policy.yaml approvals.scoped-approvers match no account of accounts.yaml, so the scope would silently apply to nothing.',
    'Check the OU glob and the tags against accounts.yaml, or list the accounts by name.'),
  ACC133: code('error', 'approval path that only the security team may approve',
    'policy.yaml approvals.paths gives a path glob its own approvers, but the glob can match the code, workflows and build files that decide what ' +
        'accessctl does and who may approve: .github/ and every other top-level path starting with a dot, src/, stacks/, engine/, schemas/, scripts/, ' +
        'bin/, main.ts, cdktf.json, jest.config.js, tsconfig*.json, CODEOWNERS, and package manifests and lock files. A change there always needs the ' +
        'security team, so the entry is refused rather than left to look as if it lowered the bar.',
    'Narrow the glob to the paths it is meant for (docs/**, not **), or remove the entry: these paths need the security team whatever policy.yaml says.'),
  ACC134: code('error', 'malformed path glob',
    'A key of policy.yaml approvals.paths is not a path glob accessctl reads: paths are relative to the repository root and written with "/", "*" matches ' +
        'within one segment and a segment "**" any number of segments. A leading or doubled "/", a "." or ".." segment, or one of ? [ ] { } ! \\ (which ' +
        'other glob dialects read as wildcards, and accessctl would not) would leave an entry that never matches what it looks like it matches.',
    'Write the glob as a repository-relative path with "*" and "**" only, such as docs/** or README.md.'),
  ACC135: code('error', 'approval scope cannot apply as written',
    'A scope of policy.yaml approvals.scoped-approvers names neither accounts nor permission sets (it would match every change), or has the same name as ' +
        'another scope (the two requirements could not be told apart), or an entry of approvals.scoped-approvers or approvals.paths asks for more ' +
        'approvals than it names people and no team: it could never be met.',
    'Give each scope accounts and/or permissionSets and a name of its own, and a count no larger than the people it names (or name a team).'),
  ACC136: code('error', 'sensitive action names no IAM action',
    'An entry of policy.yaml sensitiveActions matches no action in the IAM action catalogue accessctl ships. A misspelt action would never be reported, ' +
        'so diff, plan-summary and review would stay silent about exactly the access it was meant to flag.',
    'Write the action as service:Action, as the Service Authorization Reference names it (iam:PassRole); * and ? match as in IAM (iam:Create*).'),
  ACC137: code('error', 'policy export cannot be read',
    'who-can --policy-exports (and import, when the AWS export holds iam/) reads customer managed policy documents (aws iam ' +
        'get-account-authorization-details) and service control policies (aws organizations) as the AWS CLI v2 prints them. A file is missing, is not ' +
        'JSON, lacks a field the documented output has, holds a document that is not a policy, belongs to another account than its name says, or an ' +
        'account\'s parents do not reach the organization root. A guess would report access that SCPs deny, or hide access a policy grants.',
    'Export again as docs/import.md shows ("Customer managed policies and SCPs"); the message names the file and the JSON path.'),

  // GitHub reviews (accessctl codeowners)
  ACC080: code('warning', 'owner has no GitHub handle',
    'CODEOWNERS names GitHub accounts, and people.yaml maps Okta logins to them. A group owner without a github entry cannot be asked to review changes to ' +
        'their group, so the file falls back to the security team (or to the owners who do have a handle).',
    'Add the owner to people.yaml with their GitHub handle: { login: ..., github: ... }.'),
  ACC081: code('warning', 'no security team for CODEOWNERS',
    'settings.yaml names no github.securityTeam, so settings, accounts, people, policy and permission set files, and group files whose owners have no ' +
        'GitHub handle, get no code owner and any reviewer may approve them.',
    'Set github: { securityTeam: "@org/team" } in settings.yaml.'),

  // Adopting an existing setup (accessctl import, imports.yaml)
  ACC090: code('error', 'resource imported twice',
    'imports.yaml names the same resource instance twice. Terraform accepts one import block per instance.',
    'Keep one entry for the resource and key.'),
  ACC091: code('warning', 'import matches no resource',
    'An entry of imports.yaml names a resource instance the files do not declare (the group, permission set or assignment was removed or renamed since the ' +
        'import). Its import block is left out; Terraform would refuse an import block without a resource.',
    'Remove the entry, or correct its key to the instance docs/stacks.md names.'),
  ACC092: code('error', 'export cannot be read',
    'accessctl import reads the JSON exports of the Okta API and the AWS CLI. A file is missing, is not JSON, or lacks a field the documented response has.',
    'Produce the exports again as docs/import.md shows; the message names the file and the field.'),
  ACC093: code('error', 'import would overwrite files',
    'accessctl import writes a complete access directory. Files it would write exist already, and it does not merge into hand-written files.',
    'Import into an empty directory (--out), or pass --force to replace the files it writes.'),
  ACC094: code('error', 'which IAM Identity Center instance',
    'aws/instances.json (sso-admin list-instances) lists several IAM Identity Center instances (an organization instance and account instances, say), or ' +
        '--instance names one it does not list, or a permission set belongs to another instance. import does not guess which one the access files ' +
        'describe.',
    'Pass --instance ARN with the instance the exports were taken from (docs/import.md sets $I to it).'),
  ACC095: code('error', 'account assignments not exported',
    'An account that is ACTIVE in organizations list-accounts has no sso-admin list-account-assignments export for a permission set. Without it import ' +
        'would write that account with no grants, and its existing assignments would be neither adopted nor reported.',
    'Export the assignments of every ACTIVE account and permission set as docs/import.md shows (a failed call leaves no file), then import again.'),
  ACC096: code('error', 'paused Group Push',
    'A Group Push mapping of an imported group is INACTIVE in Okta. accessctl declares every push of a group with AWS grants as ACTIVE, so the first apply ' +
        'would resume a push someone paused.',
    'Decide first: activate the push in Okta, or delete the mapping (the first apply then creates a new push), or set okta.groupPush: false in ' +
        'settings.yaml (pushes stay by hand and accessctl leaves them alone); then export the mappings again.'),

  // File names (accessctl codeowners)
  ACC097: code('error', 'glob character in a file name',
    'accessctl codeowners writes one CODEOWNERS line per group file, and GitHub reads each line as a pattern. A glob character (* ? [ ] ! { }) in the name ' +
        'of a file or of a folder above it turns that line into a pattern that matches other files too, present and future (groups/[a-z]*.yaml matches ' +
        'every group file), and so hands their review to this file\'s owners. GitHub has no reliable escape for these characters, so every file under ' +
        'the access directory whose path holds one is refused and not read; should such a path reach accessctl codeowners anyway, it gets no line and ' +
        'falls back to the security team.',
    'Rename the file, or the folder, using only letters, digits, -, _ and . (a group file is best named after its group).'),

  // Values AWS refuses only at apply
  ACC100: code('error', 'ARN in another partition than the region',
    'An ARN names its partition: aws for most regions, aws-cn for the China regions (cn-*), aws-us-gov for AWS GovCloud (us-gov-*). A managed policy or ' +
        'permissions boundary ARN, the Identity Center instance ARN or an import id written for another partition than settings.yaml aws.region (or a ' +
        'KMS key ARN for another partition than the backend\'s region) passes review and plan, and is refused by AWS when the change is applied.',
    'Write the ARN with the partition of the region, as the hint shows, or name an AWS managed policy by its bare name (ReadOnlyAccess), which accessctl ' +
        'resolves in the right partition.'),
  ACC101: code('error', 'tag key with the reserved aws: prefix',
    'AWS reserves tag keys that start with aws: (in any case) for its own tags; IAM Identity Center refuses a permission set tagged with one, and only ' +
        'when the change is applied.',
    'Rename the tag key, such as owner instead of aws:owner.'),
  ACC102: code('error', 'more than 100 groups on a permission set in one account',
    'IAM Identity Center assigns one permission set in one account to at most 100 groups, a quota AWS does not raise. Counted across every grant of every ' +
        'group file, a permission set assigned to more groups in one account plans without a word and fails when the 101st assignment is created.',
    'Grant the permission set in that account to fewer groups: merge groups that need the same access, or give the access through one shared group ' +
        '(members of several groups may be listed in it).'),

  // What review shows is what is read: characters, escapes, directives and keys YAML readers disagree on
  ACC110: code('error', 'character YAML forbids',
    'The file holds a character that YAML 1.2 allows nowhere in a file, comments included: a C0 control character other than tab, line feed and carriage ' +
        'return (NUL, ESC, …), DEL, a C1 control character (U+0080-U+009F), U+FFFE or U+FFFF, a lone surrogate, or a carriage return that no line feed ' +
        'follows. Such a character lets a file show one thing in review and mean another: git treats a file that holds a NUL as binary, so a pull ' +
        'request shows "Binary files differ" instead of any of its lines, and a lone carriage return is a line break to a terminal, which draws what ' +
        'follows it over the start of the line, but not to the YAML reader, which keeps what follows in the comment before it. The file is refused ' +
        'before it is parsed, wherever the character is (key, value or comment). Each line is reported once, at its first such character, for up to 10 ' +
        'lines a file; one more diagnostic counts the lines beyond.',
    'Delete the character at the line and column given. End lines with LF or CRLF; a tab is fine as a tab. Characters a double-quoted string writes as ' +
        'escapes ("\\0", "\\e") are ACC028.'),
  ACC111: code('error', 'escaped surrogate in a string',
    'A double-quoted string writes a UTF-16 surrogate (U+D800-U+DFFF) as an escape, such as "\\ud800". A surrogate is not a character: other YAML readers ' +
        '(libyaml, PyYAML, Go) refuse the escape or read something else, while the JavaScript reader keeps a malformed string that Okta, AWS and ' +
        'Terraform would each handle their own way. A pair of such escapes ("\\ud83d\\ude00") is refused too, for the same reason.',
    'Write the character itself, or escape it by its code point with \\U and eight hex digits ("\\U0001F600").'),
  ACC112: code('error', 'YAML directive other than %YAML 1.2',
    'Access files are read as YAML 1.2. A "%YAML 1.1" directive asks for the older rules, under which yes, no, on and off are booleans, 010 is eight and ' +
        '1:20 is eighty; accessctl would read the file as 1.2 regardless, so it would mean one thing to a reader that honours the directive and another ' +
        'to accessctl. Other directives (%TAG, which defines tag shorthands, and unknown ones) are refused too: access files use no tags (ACC016). ' +
        '"%YAML 1.2", or no directive, is accepted.',
    'Delete the directive line (and the --- after it if nothing else needs it). Quote any yes/no or leading-zero value the file meant as text.'),
  ACC113: code('error', 'keys that read as the same text',
    'Two keys of one mapping are different YAML values that become the same text once read: 2024 and "2024", true and "true", 1e3 and "1000", .nan and ' +
        '.NaN, or an alias and the key its anchor names. Every key is read as text, so one of the two values would be dropped without a word, and which ' +
        'one depends on the reader. Keys that are the same value (a: and a:, 1 and 1.0) are ACC012.',
    'Keep one of the two keys (the diagnostic names the line of the first). Quoting a key does not make it a different key.'),
  ACC114: code('error', 'SCIM token issued in the future',
    'okta.apps.<key>.scim.tokenIssued in settings.yaml is a day after today (UTC, the day the command runs). Guardrail scim-token-age counts the token\'s ' +
        'year from that day, so a future day would silence the rotation warning, and later the expiry error, for as long as the day lies ahead: the ' +
        'token would expire unannounced and Okta would stop creating and deactivating AWS users.',
    'Write the day the token in OKTA_AWS_SCIM_TOKEN was generated, as a UTC date (YYYY-MM-DD) no later than today.'),

  // Starting a fork's own org (accessctl init, import)
  ACC120: code('error', 'init would replace an org',
    'accessctl init replaces the whole access directory with a skeleton. It does so without asking only when the directory is missing, empty, the example ' +
        'org this repository ships (recognised by its settings.yaml: the Okta org northwind and its access portal URL), or the skeleton a bare init ' +
        'wrote, untouched. This directory holds something else, such as an org of your own, and replacing it would drop its declarations.',
    'Pass --force to replace it anyway (what was committed stays in git), or run init with another --dir.'),
  ACC121: code('error', 'import under the example org\'s settings',
    'settings.yaml is still the example org\'s (the Okta org northwind and its access portal URL). The exports cannot tell the Okta org, the AWS app\'s ' +
        'URLs, the access portal or the backend, so an import would write your groups and accounts under the example\'s settings.',
    'Run accessctl init with your values (it replaces the example org; docs/import.md), or write your own settings.yaml, then import again. import --fresh ' +
        'replaces the rest of the example org once settings.yaml is yours.'),

  // Dates a change writes
  ACC116: code('error', 'member added with an expiry already past',
    'A member entry that is new since the base revision (not in the base with the same expires, groups matched across renames) has an expires date that ' +
        'had already passed when the base revision was committed: it was written already past, so it grants no access at all, and it is almost always a ' +
        'mistyped year (2025-12-31 for 2026-12-31). plan and synth report it against their base (--base, or the default base); validate has no base and ' +
        'treats every entry as old, so there it is the expired-members warning. An entry whose date passed only after the base revision (short access ' +
        'that ran out while its pull request waited, or before the apply) is not this error but the expired-members warning, so that a lapsed entry ' +
        'never blocks an apply. diff names such an entry "added with expires …, already past".',
    'Check the year: write the last day the access is meant to last, or delete the entry if no access is meant.'),

  // IAM policy checker (accessctl policy-check, and the inline-policy-lint guardrail)
  IAM001: code('error', 'not a JSON policy document',
    'The file could not be parsed as JSON.',
    'Fix the JSON syntax at the position given.'),
  IAM002: code('error', 'unknown key in a policy',
    'IAM policies allow Version, Id and Statement at the top, and Sid, Effect, Action/NotAction, Resource/NotResource, Condition (and, outside identity ' +
        'policies, Principal/NotPrincipal) in a statement. IAM rejects anything else.',
    'Remove or correct the key; keys are case-sensitive.'),
  IAM003: code('error', 'bad or missing Version',
    'Version must be "2012-10-17". Without it IAM applies the 2008 grammar, in which policy variables such as ${aws:username} are plain text (reported as ' +
        'a warning).',
    'Add "Version": "2012-10-17".'),
  IAM004: code('error', 'bad statement structure',
    'A policy needs a Statement (an object or a non-empty list of objects) and every statement an Effect of Allow or Deny.',
    'Write the statement as an object with Effect, Action and Resource.'),
  IAM005: code('error', 'Action and NotAction',
    'A statement has exactly one of Action and NotAction.',
    'Keep one of the two.'),
  IAM006: code('error', 'Resource and NotResource',
    'A statement of an identity policy has exactly one of Resource and NotResource.',
    'Keep one of the two; use "*" for every resource.'),
  IAM007: code('error', 'Principal in an identity policy',
    'A permission set is an identity policy: it applies to whoever holds it, and IAM rejects a Principal or NotPrincipal in it.',
    'Remove Principal; to limit who may use the access, grant the permission set to fewer groups.'),
  IAM008: code('error', 'malformed action',
    'An action is "*" or service:Action (such as s3:GetObject or ec2:Describe*). Anything else never matches, silently.',
    'Write the action as service:Action.'),
  IAM009: code('error', 'malformed resource',
    'A resource is "*" or an ARN with at least six colon-separated parts (arn:partition:service:region:account:resource).',
    'Write the full ARN, using * for parts that may be anything.'),
  IAM010: code('error', 'unknown condition operator',
    'The condition operator is not one IAM knows (StringEquals, ArnLike, Bool, … optionally prefixed ForAllValues:/ForAnyValue: and suffixed IfExists, or ' +
        'Null).',
    'Correct the operator name; operators are case-sensitive.'),
  IAM011: code('error', 'malformed condition',
    'A condition block maps condition keys (prefix:name, such as aws:SourceIp) to a string, number or boolean, or a list of them.',
    'Correct the key or the value.'),
  IAM012: code('error', 'bad or duplicate Sid',
    'A Sid holds only letters and digits and is unique within the policy.',
    'Rename the statement id.'),
  IAM013: code('error', 'key appears twice',
    'An object of the policy names the same key twice, such as two "Effect" keys in one statement. JSON readers keep the last one, so what a reviewer ' +
        'reads first is not what applies; IAM refuses such a policy.',
    'Keep one of the two keys.'),
  IAM014: code('error', 'value typed by YAML, or a number JSON rewrites',
    'IAM reads the values of a policy as text, but YAML types an unquoted value: 012345678901 becomes the number 12345678901 (the leading zero is lost, so ' +
        'an aws:SourceAccount condition names another account), 1e3 becomes 1000, true a boolean and ~ or an empty value null. The reviewer reads the ' +
        'text; AWS would receive what YAML made of it. In a policy written as JSON, a number that JSON does not give back as written (1.0, 1E3, a ' +
        '20-digit number) is rewritten the same way when accessctl writes the policy.',
    'Quote the value as the hint shows, such as "012345678901": quoted, it reaches AWS exactly as written.'),
  IAM015: code('error', 'character outside Latin-1 in a policy',
    'IAM accepts in a policy document only tab, line feed, carriage return and the characters U+0020 to U+00FF. Any other character (an emoji, a curly ' +
        'quote, a non-breaking hyphen, Cyrillic or CJK text, or a control character written as an escape) passes review and Terraform\'s plan, and is ' +
        'refused only when AWS applies the policy.',
    'Write the text (usually a Sid, a tag value or a resource name in a condition) in Latin-1 or ASCII characters; the diagnostic points at the character.'),
  IAM016: code('error', 'policy variables under Version 2008-10-17',
    'Policy variables such as ${aws:username} or ${aws:PrincipalTag/team} are replaced only under Version 2012-10-17. Under Version 2008-10-17, or without ' +
        'a Version (which IAM reads as 2008-10-17), they are plain text: a statement a reviewer reads as "each user\'s own folder" matches only a ' +
        'resource literally named ${aws:username}, and a Deny that relies on the variable denies nothing.',
    'Write Version: "2012-10-17".'),
  IAM020: code('warning', 'policy larger than an inline policy may be',
    'The policy holds more than 10,240 characters excluding whitespace, the IAM role inline policy limit that provisioning a permission set hits.',
    'Split it, or attach managed policies instead.'),
  IAM030: code('warning', 'full administrator',
    'A statement allows every action on every resource without a condition: whoever holds the policy administers the account.',
    'Use AdministratorAccess openly where full administration is intended, so reviewers and the high-privilege rules see it; otherwise narrow the statement.'),
  IAM031: code('warning', 'iam:PassRole on every resource',
    'iam:PassRole on "*" lets the holder give any role in the account to a service they control, and so act with that role\'s permissions.',
    'Limit Resource to the roles that may be passed, and add an iam:PassedToService condition.'),
  IAM032: code('warning', 'wildcard in a service prefix',
    'A wildcard in the service part of an action (such as "s*:Get*") matches actions of every service whose name fits, including services added later.',
    'Name the services.'),
  IAM033: code('warning', 'Allow with NotAction',
    'Allow with NotAction allows every action except those listed, including the actions of services AWS adds later.',
    'List the actions that are allowed instead, or use Deny with NotAction as a guard.'),
  IAM034: code('warning', 'Allow with NotResource',
    'Allow with NotResource allows the actions on every resource except those listed, including resources created later.',
    'List the resources that are allowed instead.'),
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
