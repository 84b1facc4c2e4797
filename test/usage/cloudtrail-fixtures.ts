// CloudTrail records as AWS documents them (S3 delivery: {"Records": […]},
// gzip, AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/), written by the tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export const MGMT = '111111111111';
export const DEV = '222222222222';
export const PROD = '333333333333';
export const STORE = `arn:aws:identitystore::${MGMT}:identitystore/d-1234567890`;
export const ALICE_ID = '90676d1c3e-1a2b3c4d-aaaa-bbbb-cccc-111111111111';
export const BOB_ID = '90676d1c3e-1a2b3c4d-aaaa-bbbb-cccc-222222222222';
export const CAROL_ID = '90676d1c3e-1a2b3c4d-aaaa-bbbb-cccc-333333333333';

export const USERS_EXPORT = {
  Users: [
    { IdentityStoreId: 'd-1234567890', UserId: ALICE_ID, UserName: 'alice@example.com', DisplayName: 'Alice' },
    { IdentityStoreId: 'd-1234567890', UserId: BOB_ID, UserName: 'bob@example.com', DisplayName: 'Bob' },
    { IdentityStoreId: 'd-1234567890', UserId: CAROL_ID, UserName: 'carol@example.com', DisplayName: 'Carol' },
  ],
};

type Rec = Record<string, unknown>;

/** A portal sign-in since July 2025: the user is an Identity Store user id. */
export function signIn(eventID: string, eventTime: string, userId: string, accountId: string, roleName: string, eventName = 'GetRoleCredentials'): Rec {
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'IdentityCenterUser', accountId: MGMT, onBehalfOf: { userId, identityStoreArn: STORE }, credentialId: `cred-${eventID}` },
    eventTime, eventSource: 'sso.amazonaws.com', eventName, awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17', requestParameters: { roleName, accountId }, responseElements: null,
    requestID: `req-${eventID}`, eventID, readOnly: true, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: MGMT, eventCategory: 'Management',
  };
}

/** A sign-in before July 2025: the user name is in userIdentity. */
export function oldSignIn(eventID: string, eventTime: string, userName: string, accountId: string, roleName: string, eventName = 'Federate'): Rec {
  const r = signIn(eventID, eventTime, '', accountId, roleName, eventName);
  return { ...r, eventVersion: '1.08', userIdentity: { type: 'Unknown', principalId: `${MGMT}:${userName}`, accountId: MGMT, userName } };
}

/** A call made in a session of a role in a member account. */
export function roleCall(eventID: string, eventTime: string, accountId: string, roleName: string, session: string, eventName = 'DescribeInstances'): Rec {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole', principalId: `AROAEXAMPLE:${session}`, arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`,
      accountId, accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${roleName}`, accountId, userName: roleName },
        attributes: { creationDate: eventTime, mfaAuthenticated: 'false' },
      },
    },
    eventTime, eventSource: 'ec2.amazonaws.com', eventName, awsRegion: 'eu-west-1', requestParameters: { filterSet: {} },
    responseElements: null, eventID, readOnly: true, eventType: 'AwsApiCall', recipientAccountId: accountId,
  };
}

/** AssumeRoleWithSAML into a role (the user name as the SAML assertion gives it). */
export function samlAssume(eventID: string, eventTime: string, accountId: string, roleName: string, userName: string): Rec {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'SAMLUser', principalId: `SAMLEXAMPLE:${userName}`, userName, identityProvider: 'SAMLEXAMPLE' },
    eventTime, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithSAML', awsRegion: 'eu-west-1',
    requestParameters: {
      roleArn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${roleName}`,
      principalArn: `arn:aws:iam::${accountId}:saml-provider/AWSSSO_0123_DO_NOT_DELETE`, durationSeconds: 3600,
    },
    eventID, readOnly: true, eventType: 'AwsApiCall', recipientAccountId: accountId,
  };
}

/** An event that is no use of a permission set (most of CloudTrail). */
export function otherCall(eventID: string, eventTime: string): Rec {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${DEV}:user/deployer`, accountId: DEV, userName: 'deployer' },
    eventTime, eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { bucketName: 'b', key: 'k{"}]' },
    eventID, recipientAccountId: DEV,
  };
}

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-usage-'));

/** CloudTrail's object key for a log file of an account, region and day. */
export function logKey(accountId: string, day: string, name: string): string {
  const [y, m, d] = day.split('-');
  return path.join('AWSLogs', accountId, 'CloudTrail', 'eu-west-1', y!, m!, d!, `${accountId}_CloudTrail_eu-west-1_${y}${m}${d}T0000Z_${name}.json.gz`);
}

export function writeGz(root: string, rel: string, records: readonly Rec[]): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify({ Records: records })));
  return file;
}

export function writeText(root: string, rel: string, text: string | Buffer): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
