// The counting of AWS API calls from moto's request recording (engine/api-calls.ts),
// on recorded lines: no engine, no moto.

import { countRecording, IDENTITY_CENTER_TPS, operationOf, quotaSeconds, topOperations, type RecordedRequest } from '../../engine/api-calls';

const auth = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=79916cbcda6a56721992911718be72434acb89fe82109350494e6ff48379098a`;

/** A JSON 1.1 request as moto records it (headers as the Go SDK and boto3 send them). */
function json11(service: string, target: string, body: unknown = {}): RecordedRequest {
  return {
    headers: { Host: '127.0.0.1:35401', 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1', Authorization: auth(service), 'Content-Length': String(JSON.stringify(body).length) },
    method: 'POST',
    url: 'http://127.0.0.1:35401/',
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    body_encoded: true,
  };
}

/** A query-API request (IAM, STS): the operation is the form body's Action. */
function query(service: string, form: string, encoded = true): RecordedRequest {
  return {
    headers: { Host: '127.0.0.1:35401', 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Authorization: auth(service) },
    method: 'POST',
    url: 'http://127.0.0.1:35401/',
    body: encoded ? Buffer.from(form).toString('base64') : form,
    body_encoded: encoded,
  };
}

const lines = (rs: readonly RecordedRequest[]): string => rs.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('operationOf', () => {
  it('reads JSON 1.1 operations from X-Amz-Target and the service from the credential scope', () => {
    expect(operationOf(json11('sso', 'SWBExternalService.ListAccountAssignments', { AccountId: '111111111111' }))).toBe('sso:ListAccountAssignments');
    expect(operationOf(json11('identitystore', 'AWSIdentityStore.GetGroupId'))).toBe('identitystore:GetGroupId');
    expect(operationOf(json11('organizations', 'AWSOrganizationsV20161128.DescribeOrganization'))).toBe('organizations:DescribeOrganization');
  });

  it('names the service from the target prefix when the request is not signed', () => {
    const r = json11('sso', 'SWBExternalService.DescribePermissionSet');
    const { Authorization: _, ...headers } = r.headers;
    expect(operationOf({ ...r, headers })).toBe('sso:DescribePermissionSet');
  });

  it('reads header names in any case', () => {
    const r = json11('sso', 'SWBExternalService.ListInstances');
    expect(operationOf({ ...r, headers: { 'x-amz-target': 'SWBExternalService.ListInstances', authorization: auth('sso') } })).toBe('sso:ListInstances');
  });

  it('reads query-API operations from the form body (encoded or not) or the URL', () => {
    expect(operationOf(query('sts', 'Action=GetCallerIdentity&Version=2011-06-15'))).toBe('sts:GetCallerIdentity');
    expect(operationOf(query('iam', 'Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess&Version=2010-05-08', false))).toBe('iam:GetPolicy');
    expect(operationOf({ headers: { Authorization: auth('iam') }, method: 'GET', url: 'http://127.0.0.1:1/?Action=ListRoles&Version=2010-05-08' })).toBe('iam:ListRoles');
  });

  it('falls back to the method and path when a request names no operation', () => {
    expect(operationOf({ headers: { Authorization: auth('s3') }, method: 'GET', url: 'http://127.0.0.1:1/bucket/key?x=1' })).toBe('s3:GET /bucket/key');
  });
});

describe('countRecording', () => {
  it('counts every request per operation, most first', () => {
    const recorded = [
      json11('sso', 'SWBExternalService.ListInstances'),
      ...Array.from({ length: 5 }, (_, i) => json11('sso', 'SWBExternalService.ListAccountAssignments', { AccountId: `11111111111${i}` })),
      ...Array.from({ length: 3 }, () => json11('sso', 'SWBExternalService.DescribePermissionSet')),
      ...Array.from({ length: 3 }, () => json11('identitystore', 'AWSIdentityStore.GetGroupId')),
      query('sts', 'Action=GetCallerIdentity&Version=2011-06-15'),
    ];
    const c = countRecording(lines(recorded));
    expect(c).toEqual({
      total: 13,
      unparsed: 0,
      byOperation: { 'sso:ListAccountAssignments': 5, 'identitystore:GetGroupId': 3, 'sso:DescribePermissionSet': 3, 'sso:ListInstances': 1, 'sts:GetCallerIdentity': 1 },
    });
    // Ties are broken by name, so the order is stable.
    expect(Object.keys(c.byOperation)).toEqual(['sso:ListAccountAssignments', 'identitystore:GetGroupId', 'sso:DescribePermissionSet', 'sso:ListInstances', 'sts:GetCallerIdentity']);
    expect(topOperations(c, 2)).toEqual([['sso:ListAccountAssignments', 5], ['identitystore:GetGroupId', 3]]);
  });

  it('counts a slice of the recording (the calls after a mark) and reports torn or foreign lines', () => {
    const before = lines([json11('sso', 'SWBExternalService.ListInstances')]);
    const after = lines([json11('sso', 'SWBExternalService.CreateAccountAssignment'), json11('sso', 'SWBExternalService.DescribeAccountAssignmentCreationStatus')]);
    const all = `${before}${after}{"headers": {"Host"`;
    expect(countRecording(all.slice(Buffer.byteLength(before)))).toEqual({
      total: 2,
      unparsed: 1,
      byOperation: { 'sso:CreateAccountAssignment': 1, 'sso:DescribeAccountAssignmentCreationStatus': 1 },
    });
    expect(countRecording('\n\n[1]\n')).toEqual({ total: 0, unparsed: 1, byOperation: {} });
  });

  it('counts a line exactly as moto 5.2 writes it', () => {
    // Copied from a recording of engine/emulator/server.py (MOTO_ENABLE_RECORDING): one boto3 ListInstances.
    const moto =
      '{"headers": {"Host": "127.0.0.1:35401", "Accept-Encoding": "identity", "X-Amz-Target": "SWBExternalService.ListInstances", "Content-Type": "application/x-amz-json-1.1", "X-Amz-Date": "20261203T140902Z", "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/sso/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=79916cbcda6a56721992911718be72434acb89fe82109350494e6ff48379098a", "Amz-Sdk-Request": "attempt=1; max=3", "Content-Length": "2"}, "method": "POST", "url": "http://127.0.0.1:35401/", "body": "e30=", "body_encoded": true}\n';
    expect(countRecording(moto)).toEqual({ total: 1, unparsed: 0, byOperation: { 'sso:ListInstances': 1 } });
  });
});

describe('quotaSeconds', () => {
  it('divides calls by Identity Center\'s 20 requests a second', () => {
    expect(IDENTITY_CENTER_TPS).toBe(20);
    expect(quotaSeconds(1_000)).toBe(50);
    expect(quotaSeconds(0)).toBe(0);
  });
});
