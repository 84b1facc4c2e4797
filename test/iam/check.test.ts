import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { checkPolicy, grantsFullAdmin, GRAMMAR_CODES } from '../../src/iam/check';
import { run, tempRepo } from '../support/helpers';

/** Every AWS managed policy document (default version), from the MAMIP snapshot in shared/data, copied as a fixture. */
const CORPUS = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, '..', 'fixtures/aws-managed-policy-documents.json.gz'))).toString('utf8')) as Record<string, unknown>;

describe('IAM policy checker on every AWS managed policy', () => {
  it('finds zero grammar errors in 1,523 real documents', () => {
    expect(Object.keys(CORPUS)).toHaveLength(1523);
    const errors = Object.entries(CORPUS).flatMap(([name, doc]) =>
      checkPolicy(doc).filter((f) => GRAMMAR_CODES.has(f.code) || f.severity === 'error').map((f) => `${name} ${f.code} ${f.path} ${f.message}`),
    );
    expect(errors).toEqual([]);
  });

  it('finds AdministratorAccess, and only it, to be full admin', () => {
    expect(Object.keys(CORPUS).filter((n) => grantsFullAdmin(CORPUS[n]))).toEqual(['AdministratorAccess']);
    expect(checkPolicy(CORPUS.AdministratorAccess)).toEqual([{ code: 'IAM030', severity: 'warning', path: '/Statement/0', message: 'the statement allows every action on every resource without a condition (full administrator)' }]);
  });

  it('flags the large and the risky among them as warnings', () => {
    const codes = (name: string): string[] => checkPolicy(CORPUS[name]).map((f) => f.code);
    expect(codes('ReadOnlyAccess')).toContain('IAM020');
    expect(codes('PowerUserAccess')).toEqual(['IAM033']);
  });
});

describe('IAM policy checker grammar', () => {
  const statement = (s: Record<string, unknown>): unknown => ({ Version: '2012-10-17', Statement: [s] });
  it.each([
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, []],
    [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }, ['IAM004 /Statement/0/Effect']],
    [{ Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:Put*', Resource: '*' }, ['IAM005 /Statement/0']],
    [{ Effect: 'Allow', Action: 's3:GetObject' }, ['IAM006 /Statement/0']],
    [{ Effect: 'Allow', Action: [], Resource: '*' }, ['IAM008 /Statement/0/Action']],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3' }, ['IAM009 /Statement/0/Resource']],
    [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }, ['IAM007 /Statement/0/Principal']],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { SourceIp: 'x' } } }, ['IAM011 /Statement/0/Condition/StringEquals/SourceIp']],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a', 'b'] }, Null: { 'aws:RequestTag/x': 'true' } } }, []],
    [{ Sid: 'has space', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, ['IAM012 /Statement/0/Sid']],
    [{ Effect: 'Allow', Actions: 's3:GetObject', Resource: '*' }, ['IAM002 /Statement/0/Actions', 'IAM005 /Statement/0']],
  ])('%j gives %j', (s, expected) => {
    expect(checkPolicy(statement(s as Record<string, unknown>)).map((f) => `${f.code} ${f.path}`)).toEqual(expected);
  });

  it('checks the document frame: Version, Statement, unknown keys, duplicate Sids', () => {
    expect(checkPolicy({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }).map((f) => `${f.code} ${f.severity}`)).toEqual(['IAM003 warning']);
    expect(checkPolicy({ Version: '2012-10-18', Statement: [], Extra: 1 }).map((f) => f.code)).toEqual(['IAM002', 'IAM003', 'IAM004']);
    expect(checkPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }).map((f) => `${f.code} ${f.path}`)).toEqual(['IAM012 /Statement/1/Sid']);
    expect(checkPolicy('nope').map((f) => f.code)).toEqual(['IAM004']);
  });
});

describe('accessctl policy-check', () => {
  const write = (root: string, name: string, text: string): string => {
    fs.writeFileSync(path.join(root, name), text);
    return name;
  };

  it('reports each finding at its line and column, and exits 1 on an error', async () => {
    const root = tempRepo({});
    write(root, 'p.json', '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" },\n    { "Effect": "Allow", "Action": "s3GetObject", "Resource": "*" }\n  ]\n}\n');
    const r = await run(['policy-check', 'p.json'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'p.json:4:64 warning IAM031 iam:PassRole on "*" lets the holder hand any role to a service, and so gain that role\'s permissions (at /Statement/0/Resource)\n' +
        '  see docs/errors.md#iam031\n' +
        'p.json:5:36 error IAM008 "s3GetObject" is not an action: write service:Action, such as s3:GetObject or ec2:Describe* (at /Statement/1/Action)\n' +
        '  see docs/errors.md#iam008\n' +
        '1 file: 1 error, 1 warning\n',
    );
  });

  it('prints JSON findings, including a parse error and an unreadable file', async () => {
    const root = tempRepo({});
    write(root, 'ok.json', JSON.stringify(CORPUS.AmazonS3ReadOnlyAccess));
    write(root, 'bad.json', '{ "Version": "2012-10-17", "Statement": [ }');
    const r = await run(['policy-check', '--format', 'json', 'ok.json', 'bad.json', 'missing.json'], root);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      findings: [
        { file: 'bad.json', line: 1, column: 43, severity: 'error', code: 'IAM001', message: 'not valid JSON: expected a value, found "}"' },
        { file: 'missing.json', line: 1, column: 1, severity: 'error', code: 'IAM001', message: 'cannot read the file: ENOENT' },
      ],
    });
  });

  it.each([
    ['a trailing comma', '{\n  "Version": "2012-10-17",\n  "Statement": [],\n}\n', 4, 1, 'a comma before "}" (JSON allows no trailing comma)'],
    ['single quotes', "{\n  'Version': '2012-10-17'\n}\n", 2, 3, 'expected a key in double quotes, found "\'"'],
    ['a comment', '{\n  // allow reads\n  "Version": "2012-10-17"\n}\n', 2, 3, 'expected a key in double quotes, found "/"'],
    ['text after the document', '{"Version": "2012-10-17"} x', 1, 27, 'more after the end of the document: "x"'],
    ['an unterminated string', '{"Version": "2012-10-17', 1, 13, 'a string that never ends'],
  ])('reports invalid JSON (%s) at the character at fault', async (_what, text, line, column, message) => {
    const root = tempRepo({});
    write(root, 'p.json', text);
    const r = await run(['policy-check', '--format', 'json', 'p.json'], root);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toEqual([{ file: 'p.json', line, column, severity: 'error', code: 'IAM001', message: `not valid JSON: ${message}` }]);
  });

  it('refuses a statement with two Effect keys, at the second', async () => {
    const root = tempRepo({});
    write(root, 'p.json', '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Effect": "Allow" }\n  ]\n}\n');
    const r = await run(['policy-check', '--format', 'json', 'p.json'], root);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.filter((f: { code: string }) => f.code === 'IAM013')).toEqual([
      { file: 'p.json', line: 4, column: 60, severity: 'error', code: 'IAM013', message: '"Effect" appears twice in the object at /Statement/0: JSON keeps the last one, IAM refuses the policy' },
    ]);
  });

  it('refuses what would not reach AWS as written: rewritten numbers, characters outside Latin-1, variables under 2008-10-17', async () => {
    const root = tempRepo({});
    write(root, 'p.json', '{\n  "Version": "2008-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*" },\n    { "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::reports\u2010x/*",\n      "Condition": { "NumericLessThan": { "s3:max-keys": 1E3 } } }\n  ]\n}\n');
    write(root, 'none.json', '{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}');
    const r = await run(['policy-check', 'p.json', 'none.json'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'none.json:1:1 warning IAM003 no Version: IAM reads the policy as 2008-10-17, where policy variables such as ${aws:username} are plain text\n' +
        '  see docs/errors.md#iam003\n' +
        'none.json:1:1 error IAM016 the policy has no Version, so IAM reads it as 2008-10-17, which treats the policy variable ${aws:username} at /Statement/Resource as literal text\n' +
        '  hint: write Version: "2012-10-17"\n' +
        '  see docs/errors.md#iam016\n' +
        'p.json:2:14 error IAM016 Version "2008-10-17" treats the policy variable ${aws:username} at /Statement/0/Resource as literal text\n' +
        '  hint: write Version: "2012-10-17"\n' +
        '  see docs/errors.md#iam016\n' +
        'p.json:5:76 error IAM015 character U+2010 "\u2010" in the value at /Statement/1/Resource: IAM accepts only Latin-1 (U+0020-U+00FF, tab and line breaks) in a policy and refuses it at apply\n' +
        '  hint: write the text in Latin-1 characters (or ASCII)\n' +
        '  see docs/errors.md#iam015\n' +
        'p.json:6:58 error IAM014 the number 1E3 at /Statement/1/Condition/NumericLessThan/s3:max-keys reaches AWS as 1000\n' +
        '  hint: write "1E3" in quotes\n' +
        '  see docs/errors.md#iam014\n' +
        '2 files: 4 errors, 1 warning\n',
    );
  });

  it('exits 0 on a clean policy and 2 without a file', async () => {
    const root = tempRepo({});
    write(root, 'admin.json', JSON.stringify(CORPUS.AdministratorAccess, null, 2));
    const ok = await run(['policy-check', 'admin.json'], root);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('warning IAM030');
    expect((await run(['policy-check'], root)).code).toBe(2);
  });
});
