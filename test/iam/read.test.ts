// What is reviewed is what is applied (issue 22): one strict reader for every
// policy document of a permission set, and the AWS values refused only at
// apply (partitions, reserved tag keys, the groups-per-permission-set quota),
// each through the CLI with its exit code, code and position.
import { spawnSync } from 'node:child_process';
import { scalarSourceMap } from '../../src/iam/read';
import { BASE, tempRepo } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';

/** The compiled `accessctl validate` (text; dist/ is built by the jest global setup): the exit code and the error lines with their hints. */
async function validate(files: Record<string, string | null>): Promise<{ code: number; errors: string[] }> {
  const c = spawnSync(process.execPath, [compiledCli(), 'validate'], { cwd: tempRepo(files), encoding: 'utf8' });
  const r = { code: c.status ?? -1, stdout: c.stdout };
  const lines = r.stdout.split('\n');
  const errors: string[] = [];
  lines.forEach((l, i) => {
    if (!/^\S+:\d+:\d+ error /.test(l)) return;
    errors.push(lines[i + 1]?.startsWith('  hint: ') ? `${l}\n${lines[i + 1]}` : l);
  });
  return { code: r.code, errors };
}

const P = 'access/permission-sets/P.yaml';
const ps = (body: string): Record<string, string> => ({ 'permission-sets/P.yaml': `name: P\n${body}` });
const statement = (s: string): string => `inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: "*"\n${s}`;

describe('duplicate keys in an inline policy', () => {
  it('refuses Deny then Allow in a JSON string, at the second Effect in the YAML file', async () => {
    const r = await validate(ps(`inlinePolicy: |\n  {\n    "Version": "2012-10-17",\n    "Statement": [\n      { "Effect": "Deny", "Action": "s3:*", "Resource": "*",\n        "Effect": "Allow" }\n    ]\n  }\n`));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:7:9 error IAM013 "Effect" appears twice in the object at /Statement/0: JSON keeps the last one, IAM refuses the policy\n  hint: keep one of the two keys`],
    });
  });

  it('refuses it in a one-line quoted JSON string, at its column', async () => {
    const r = await validate(ps(`inlinePolicy: '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Effect":"Allow"}}'\n`));
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([`${P}:2:100 error IAM013 "Effect" appears twice in the object at /Statement: JSON keeps the last one, IAM refuses the policy\n  hint: keep one of the two keys`]);
  });

  it('refuses Deny then Allow written as YAML, at the second key', async () => {
    const r = await validate(ps('inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Deny\n      Action: s3:*\n      Resource: "*"\n      Effect: Allow\n'));
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([`${P}:8:7 error ACC012 Map keys must be unique`]);
  });

  it('refuses two Condition blocks, in a JSON string and in YAML', async () => {
    const json = await validate(ps(`inlinePolicy: |\n  {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",\n    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "payments"}},\n    "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}\n`));
    expect(json.code).toBe(1);
    expect(json.errors).toEqual([`${P}:5:5 error IAM013 "Condition" appears twice in the object at /Statement/0: JSON keeps the last one, IAM refuses the policy\n  hint: keep one of the two keys`]);
    const yaml = await validate(ps(statement('      Condition: { StringEquals: { "aws:PrincipalTag/team": payments } }\n      Condition: { Bool: { "aws:SecureTransport": "true" } }\n')));
    expect(yaml.code).toBe(1);
    expect(yaml.errors).toEqual([`${P}:9:7 error ACC012 Map keys must be unique`]);
  });
});

describe('values YAML types in an inline policy (IAM014)', () => {
  it('refuses an unquoted account id with a leading zero, showing the text written', async () => {
    const r = await validate(ps(statement('      Condition:\n        StringEquals:\n          aws:SourceAccount: 012345678901\n')));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:10:30 error IAM014 YAML reads 012345678901 at /Statement/0/Condition/StringEquals/aws:SourceAccount as the number 12345678901: AWS would receive 12345678901, not the text written\n  hint: write "012345678901" in quotes`],
    });
  });

  it('refuses true where IAM reads a string', async () => {
    const r = await validate(ps(statement('      Condition:\n        Bool: { "aws:MultiFactorAuthPresent": true }\n')));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:9:47 error IAM014 YAML reads true at /Statement/0/Condition/Bool/aws:MultiFactorAuthPresent as the boolean true, not as text\n  hint: write "true" in quotes`],
    });
  });

  it('accepts the same values quoted', async () => {
    const r = await validate(ps(statement('      Condition:\n        StringEquals: { aws:SourceAccount: "012345678901" }\n        Bool: { "aws:MultiFactorAuthPresent": "true" }\n')));
    expect(r).toEqual({ code: 0, errors: [] });
  });

  it('refuses a number a JSON string would rewrite (1.0 reaches AWS as 1)', async () => {
    const r = await validate(ps(`inlinePolicy: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":1.0}}}}'\n`));
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([`${P}:2:153 error IAM014 the number 1.0 at /Statement/Condition/NumericEquals/s3:max-keys reaches AWS as 1\n  hint: write "1.0" in quotes`]);
  });
});

describe('characters outside Latin-1 in an inline policy (IAM015)', () => {
  it('refuses one in a YAML policy, at the character', async () => {
    const r = await validate(ps('inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: arn:aws:s3:::reports\u20102026/*\n'));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:7:37 error IAM015 character U+2010 "\u2010" in the value at /Statement/0/Resource: IAM accepts only Latin-1 (U+0020-U+00FF, tab and line breaks) in a policy and refuses it at apply\n  hint: write the text in Latin-1 characters (or ASCII)`],
    });
  });

  it('refuses one in a JSON string, written raw or as an escape, and accepts Latin-1', async () => {
    const r = await validate(ps(`inlinePolicy: |\n  {"Version": "2012-10-17", "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::r\u00e9ports/*"},\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::\\u201creports/*"}]}\n`));
    expect(r.code).toBe(1);
    expect(r.errors.map((e) => e.split('\n')[0])).toEqual([
      `${P}:5:77 error IAM015 character U+201C "\u201c" in the value at /Statement/1/Resource: IAM accepts only Latin-1 (U+0020-U+00FF, tab and line breaks) in a policy and refuses it at apply`,
    ]);
  });
});

describe('policy variables under Version 2008-10-17 (IAM016)', () => {
  it('refuses ${aws:username} in a YAML policy, at the Version', async () => {
    const r = await validate(ps('inlinePolicy:\n  Version: "2008-10-17"\n  Statement:\n    - Effect: Allow\n      Action: s3:*\n      Resource: arn:aws:s3:::home/${aws:username}/*\n'));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:3:12 error IAM016 Version "2008-10-17" treats the policy variable \${aws:username} at /Statement/0/Resource as literal text\n  hint: write Version: "2012-10-17"`],
    });
  });

  it('refuses it in a JSON string and accepts it under 2012-10-17', async () => {
    const body = (v: string): Record<string, string> => ps(`inlinePolicy: '{"Version":"${v}","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/\${aws:username}/*"}}'\n`);
    const r = await validate(body('2008-10-17'));
    expect(r.code).toBe(1);
    expect(r.errors.map((e) => e.split('\n')[0])).toEqual([`${P}:2:27 error IAM016 Version "2008-10-17" treats the policy variable \${aws:username} at /Statement/Resource as literal text`]);
    expect(await validate(body('2012-10-17'))).toEqual({ code: 0, errors: [] });
  });
});

describe('ARN partitions against aws.region (ACC100)', () => {
  it('refuses an aws-cn managed policy ARN in us-east-1', async () => {
    const r = await validate(ps('managedPolicies:\n  - arn:aws-cn:iam::aws:policy/ReadOnlyAccess\n'));
    expect(r).toEqual({
      code: 1,
      errors: [`${P}:3:5 error ACC100 managed policy ARN "arn:aws-cn:iam::aws:policy/ReadOnlyAccess" is in partition aws-cn, but region us-east-1 is in partition aws: AWS refuses the ARN when the change is applied\n  hint: write arn:aws:iam::aws:policy/ReadOnlyAccess`],
    });
  });

  it('refuses an aws-us-gov boundary ARN in us-east-1, and an aws ARN in a China region', async () => {
    const boundary = await validate(ps('permissionsBoundary: { managedPolicy: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" }\n'));
    expect(boundary.code).toBe(1);
    expect(boundary.errors.map((e) => e.split('\n')[0])).toEqual([`${P}:2:39 error ACC100 permissions boundary ARN "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" is in partition aws-us-gov, but region us-east-1 is in partition aws: AWS refuses the ARN when the change is applied`]);
    const cn = await validate({
      ...ps('managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n'),
      'settings.yaml': 'okta:\n  org: acme\n  orgType: identity-engine\n  apps:\n    aws:\n      label: AWS\n      acsUrl: https://cn-north-1.signin.amazonaws.cn/platform/saml/acs/abc\n      issuerUrl: https://cn-north-1.signin.amazonaws.cn/platform/saml/d-1234567890\n      mfa: required\naws:\n  region: cn-north-1\n  startUrl: https://d-1234567890.awsapps.cn/start\n  instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef\nbackend: { type: local }\n',
    });
    expect(cn.code).toBe(1);
    expect(cn.errors.map((e) => e.split('\n')[0])).toEqual([
      `${P}:2:19 error ACC100 managed policy ARN "arn:aws:iam::aws:policy/ReadOnlyAccess" is in partition aws, but region cn-north-1 is in partition aws-cn: AWS refuses the ARN when the change is applied`,
      'access/settings.yaml:13:16 error ACC100 aws.instanceArn "arn:aws:sso:::instance/ssoins-0123456789abcdef" is in partition aws, but region cn-north-1 is in partition aws-cn: AWS refuses the ARN when the change is applied',
    ]);
  });

  it('refuses an import id and a state KMS key in another partition', async () => {
    const r = await validate({
      'imports.yaml': 'imports:\n  - resource: aws_ssoadmin_permission_set\n    key: ReadOnly\n    id: arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef,arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef\n',
      'settings.yaml': BASE['settings.yaml']!.replace('backend: { type: local }', 'backend: { type: s3, bucket: state, region: cn-north-1, kmsKeyId: "arn:aws:kms:cn-north-1:111111111111:key/x" }'),
    });
    expect(r.code).toBe(1);
    expect(r.errors.map((e) => e.split('\n')[0])).toEqual([
      'access/imports.yaml:4:9 error ACC100 import id ARN "arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef" is in partition aws-us-gov, but region us-east-1 is in partition aws: AWS refuses the ARN when the change is applied',
      'access/settings.yaml:13:67 error ACC100 backend.kmsKeyId "arn:aws:kms:cn-north-1:111111111111:key/x" is in partition aws, but region cn-north-1 is in partition aws-cn: AWS refuses the ARN when the change is applied',
    ]);
  });

  it('accepts ARNs of the region\'s partition', async () => {
    expect(await validate(ps('managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\npermissionsBoundary: { managedPolicy: "arn:aws:iam::aws:policy/PowerUserAccess" }\n'))).toEqual({ code: 0, errors: [] });
  });
});

describe('permission set tags (ACC101)', () => {
  it('refuses a tag key with the reserved aws: prefix, in any case', async () => {
    const r = await validate(ps('managedPolicies: [ViewOnlyAccess]\ntags:\n  aws:owner: payments\n  AWS:team: x\n  owner: payments\n'));
    expect(r).toEqual({
      code: 1,
      errors: [
        `${P}:4:3 error ACC101 tag key "aws:owner" starts with "aws:", a prefix AWS reserves for its own tags: IAM Identity Center refuses the permission set when the change is applied\n  hint: rename the tag, such as "owner"`,
        `${P}:5:3 error ACC101 tag key "AWS:team" starts with "AWS:", a prefix AWS reserves for its own tags: IAM Identity Center refuses the permission set when the change is applied\n  hint: rename the tag, such as "team"`,
      ],
    });
  });
});

describe('groups per permission set in one account (ACC102)', () => {
  /** `n` groups granting ReadOnly in prod: the even ones by name, the odd ones by tag selector, and g000 through both. */
  const groups = (n: number): Record<string, string> => {
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const name = `g${String(i).padStart(3, '0')}`;
      const byName = '  - permissionSet: ReadOnly\n    accounts: [prod]\n';
      const byTag = '  - permissionSet: ReadOnly\n    accounts: { tags: { env: prod } }\n';
      files[`groups/${name}.yaml`] = `name: ${name}\nmode: additive\nowners: [alice@example.com]\nmembers: [alice@example.com]\napps: [aws]\naws:\n${i === 0 ? byName + byTag : i % 2 === 0 ? byName : byTag}`;
    }
    return files;
  };

  it('refuses the 101st group, across two kinds of grants, at its grant', async () => {
    const r = await validate(groups(101));
    expect(r).toEqual({
      code: 1,
      errors: [`access/groups/g100.yaml:7:5 error ACC102 permission set "ReadOnly" is assigned to 101 groups in account prod (111111111111); IAM Identity Center allows at most 100 groups per permission set in one account (group "g100" is the 101st in name order)\n  hint: grant the permission set in this account to fewer groups: merge groups that need the same access, or use one shared group (AWS does not raise this quota)`],
    });
  });

  it('accepts 100 groups', async () => {
    expect(await validate(groups(100))).toEqual({ code: 0, errors: [] });
  });
});

describe('positions inside a YAML string (scalarSourceMap)', () => {
  /** Where each character of `value` stands in `raw`, as the characters written there. */
  const written = (raw: string, value: string): string[] | undefined => scalarSourceMap(raw, value)?.slice(0, -1).map((i) => raw[i]!);

  it('follows double-quoted escapes and line folding', () => {
    const raw = '"{\\"a\\":\n    \\"b\\u00e9\\"}"';
    expect(written(raw, '{"a": "bé"}')).toEqual(['{', '\\', 'a', '\\', ':', '\n', '\\', 'b', '\\', '\\', '}']);
  });

  it('follows single quotes and a literal block', () => {
    expect(written("'it''s'", "it's")).toEqual(['i', 't', "'", 's']);
    expect(scalarSourceMap('|-\n  {"a":\n   1}\n', '{"a":\n 1}')).toEqual([5, 6, 7, 8, 9, 10, 13, 14, 15, 16]);
  });

  it('gives up where it cannot follow the text, rather than point elsewhere', () => {
    expect(scalarSourceMap('>\n  a\n  b\n', 'a b\n')).toBeUndefined();
    expect(scalarSourceMap("'abc'", 'abd')).toBeUndefined();
  });
});
