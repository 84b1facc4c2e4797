// The Identity Store users export (`aws identitystore list-users`): user id
// → user name, which SCIM sets to the Okta login. CloudTrail's Identity
// Center events carry the user id since July 2025; older events, and role
// session names, carry the user name, matched here ignoring case.

import * as fs from 'node:fs';
import { foldLogin } from '../model/logins';

export class UsersFileError extends Error {}

export class IdentityStoreUsers {
  private readonly byId = new Map<string, string>();
  private readonly byName = new Map<string, string>();

  add(userId: string, userName: string): void {
    this.byId.set(userId, userName);
    this.byName.set(foldLogin(userName), userName);
  }

  /** The user name of an Identity Store user id. */
  byUserId(userId: string): string | undefined {
    return this.byId.get(userId);
  }

  /** The export's spelling of a user name, matched ignoring case. */
  byUserName(name: string): string | undefined {
    return this.byName.get(foldLogin(name));
  }

  get size(): number {
    return this.byId.size;
  }
}

function field(shown: string, user: Record<string, unknown>, key: string, i: number): string {
  const v = user[key];
  if (typeof v !== 'string' || v === '') throw new UsersFileError(`${shown}: Users[${i}].${key}: is not a non-empty string`);
  return v;
}

/** Reads a list-users export ({"Users": [{UserId, UserName, …}]}); an error names the file and the JSON path. */
export function readUsersFile(file: string, shown: string): IdentityStoreUsers {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsersFileError(`${shown}: ${code === 'ENOENT' ? 'no such file' : `not JSON: ${(e as Error).message}`}`);
  }
  const users = (data as { Users?: unknown } | null)?.Users;
  if (!Array.isArray(users)) throw new UsersFileError(`${shown}: Users: is not an array (expected the output of aws identitystore list-users)`);
  const out = new IdentityStoreUsers();
  users.forEach((u: unknown, i) => {
    if (u === null || typeof u !== 'object') throw new UsersFileError(`${shown}: Users[${i}]: is not an object`);
    const o = u as Record<string, unknown>;
    out.add(field(shown, o, 'UserId', i), field(shown, o, 'UserName', i));
  });
  return out;
}
