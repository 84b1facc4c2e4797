// Which CloudTrail events are a use of a permission set on an account:
//  - sso.amazonaws.com GetRoleCredentials and Federate (a portal sign-in or
//    CLI credentials), requestParameters {roleName: permission set, accountId};
//    the user is userIdentity.onBehalfOf.userId (type IdentityCenterUser,
//    since July 2025) or, in older events, userIdentity.userName or
//    additionalEventData.userName;
//  - a session of an AWSReservedSSO_<permission set>_<suffix> role in a member
//    account (userIdentity type AssumedRole; the session name is the user name);
//  - sts AssumeRoleWithSAML into such a role (userIdentity.userName).
// Failed sign-ins (errorCode) are not uses. Every other event is skipped.

/** A CloudTrail record, or a query-result row, as read (field names as CloudTrail spells them). */
export type Rec = Record<string, unknown>;

export type Who = { readonly kind: 'id' | 'name'; readonly value: string };

export type Use =
  | { readonly kind: 'use'; readonly who: Who; readonly accountId: string; readonly permissionSet: string; readonly eventId: string; readonly eventName: string; readonly time: string }
  | { readonly kind: 'role'; readonly accountId: string; readonly roleName: string };

/** A record that would count as a use but lacks a field it needs. */
export class RecordError extends Error {}

const SIGN_INS: ReadonlySet<string> = new Set(['GetRoleCredentials', 'Federate']);
const SESSION_ARN = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/(AWSReservedSSO_[^/]*)\/(.+)$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?(AWSReservedSSO_[^/]*)$/;
const RESERVED = /^AWSReservedSSO_(.+)_([^_]+)$/;
const ACCOUNT = /^\d{12}$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z|\+00:00)?$/;

function obj(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function need(v: string | undefined, what: string, eventName: string): string {
  if (v === undefined) throw new RecordError(`${eventName} without ${what}`);
  return v;
}

/** The event time as YYYY-MM-DDTHH:MM:SSZ; undefined when absent or not a time. */
export function eventInstant(r: Rec): string | undefined {
  const m = INSTANT.exec(text(r.eventTime) ?? '');
  return m ? `${m[1]}T${m[2]}Z` : undefined;
}

function common(r: Rec, eventName: string): { eventId: string; time: string } {
  return {
    eventId: need(text(r.eventID), 'eventID', eventName),
    time: need(eventInstant(r), 'an eventTime (ISO 8601 UTC)', eventName),
  };
}

function roleUse(who: Who, accountId: string, roleName: string, r: Rec, eventName: string): Use {
  const m = RESERVED.exec(roleName);
  if (!m) return { kind: 'role', accountId, roleName };
  return { kind: 'use', who, accountId, permissionSet: m[1]!, eventName, ...common(r, eventName) };
}

function signIn(r: Rec, eventName: string): Use {
  const ui = obj(r.userIdentity) ?? {};
  if (typeof r.requestParameters === 'string') throw new RecordError(`${eventName}: requestParameters is not a JSON object`);
  const params = obj(r.requestParameters) ?? {};
  const userId = text(obj(ui.onBehalfOf)?.userId) ?? text(ui.userId);
  const userName = text(ui.userName) ?? text(obj(r.additionalEventData)?.userName);
  if (userId === undefined && userName === undefined) {
    throw new RecordError(`${eventName} without a user (userIdentity.onBehalfOf.userId or userIdentity.userName)`);
  }
  const who: Who = userId !== undefined ? { kind: 'id', value: userId } : { kind: 'name', value: userName! };
  const accountId = need(text(params.accountId), 'requestParameters.accountId', eventName);
  if (!ACCOUNT.test(accountId)) throw new RecordError(`${eventName}: requestParameters.accountId "${accountId}" is not a 12-digit account id`);
  const permissionSet = need(text(params.roleName), 'requestParameters.roleName', eventName);
  return {
    kind: 'use',
    who, accountId, permissionSet, eventName, ...common(r, eventName),
  };
}

/** What a record says of permission set use: a use, a role that is not a permission set's, or undefined (irrelevant). */
export function useOf(r: Rec): Use | undefined {
  const eventName = text(r.eventName) ?? '';
  const source = text(r.eventSource);
  if (source === 'sso.amazonaws.com' && SIGN_INS.has(eventName)) return r.errorCode ? undefined : signIn(r, eventName);
  const ui = obj(r.userIdentity);
  if (source === 'sts.amazonaws.com' && eventName === 'AssumeRoleWithSAML' && !r.errorCode) {
    const m = ROLE_ARN.exec(text(obj(r.requestParameters)?.roleArn) ?? '');
    if (!m) return undefined;
    const name = need(text(ui?.userName), 'userIdentity.userName', eventName);
    return roleUse({ kind: 'name', value: name }, m[1]!, m[2]!, r, eventName);
  }
  if (ui?.type !== 'AssumedRole') return undefined;
  const m = SESSION_ARN.exec(text(ui.arn) ?? '');
  if (!m) return undefined;
  return roleUse({ kind: 'name', value: m[3]! }, m[1]!, m[2]!, r, need(eventName || undefined, 'eventName', 'a role session event'));
}
