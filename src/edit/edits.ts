// The edits request and expire make to access files. Each edit changes the
// text surgically (yaml-text.ts) and is then checked: the edited text must
// parse to exactly the data the edit intended, or the edit is refused.
import { isMap, isSeq, type Node, type YAMLSeq } from 'yaml';
import { stillActive } from '../util/dates';
import { canonicalJson } from '../diff/diff';
import { foldLogin } from '../model/logins';
import { EditError, flowScalar, blockScalar, mapText, mapValueNode, scalarText, YamlText } from './yaml-text';

export { EditError } from './yaml-text';

export interface MemberEntry {
  readonly login: string;
  readonly expires?: string;
  readonly reason?: string;
  /** Written as breakGlass: true (accessctl break-glass). */
  readonly breakGlass?: true;
}

type Data = Record<string, unknown>;

/** Applies an edit and checks that the text now reads as `expected(old data)`. */
function checked(text: string, edit: (t: YamlText) => YamlText, expected: (data: Data) => Data): string {
  const before = new YamlText(text);
  if (before.doc.errors.length > 0) throw new EditError(`the file does not parse: ${before.doc.errors[0]!.message.split('\n')[0]}`);
  const after = edit(before);
  const want = expected(JSON.parse(JSON.stringify(before.doc.toJS())) as Data);
  if (after.doc.errors.length > 0 || canonicalJson(after.doc.toJS()) !== canonicalJson(want)) {
    throw new EditError('the edit could not be made without changing the rest of the file; edit it by hand');
  }
  return after.text;
}

function memberLogin(node: unknown): string | undefined {
  return scalarText(node) ?? mapText(node, 'user');
}

function memberData(m: MemberEntry): unknown {
  if (m.expires === undefined && m.reason === undefined) return m.login;
  return {
    user: m.login,
    ...(m.expires !== undefined ? { expires: m.expires } : {}),
    ...(m.reason !== undefined ? { reason: m.reason } : {}),
    ...(m.breakGlass ? { breakGlass: true } : {}),
  };
}

function memberLines(m: MemberEntry, indent: string): string[] {
  if (m.expires === undefined && m.reason === undefined) return [`${indent}- ${blockScalar(m.login)}`];
  return [
    `${indent}- user: ${blockScalar(m.login)}`,
    ...(m.expires !== undefined ? [`${indent}  expires: ${m.expires}`] : []),
    ...(m.reason !== undefined ? [`${indent}  reason: ${blockScalar(m.reason)}`] : []),
    ...(m.breakGlass ? [`${indent}  breakGlass: true`] : []),
  ];
}

/** Where a new login goes: in order when the list is sorted by login, else at the end. */
function insertionIndex(logins: readonly string[], login: string): number {
  const keys = logins.map(foldLogin);
  const sorted = keys.every((k, i) => i === 0 || keys[i - 1]! <= k);
  if (!sorted) return logins.length;
  const key = foldLogin(login);
  const i = keys.findIndex((k) => k > key);
  return i < 0 ? keys.length : i;
}

const GROUP_KEY_ORDER = ['name', 'description', 'owners', 'mode', 'members', 'apps', 'aws'];

/** The last key present before `key` in the usual order, so a new section lands where a reader expects it. */
function keyBefore(t: YamlText, key: string): string | undefined {
  const earlier = GROUP_KEY_ORDER.slice(0, GROUP_KEY_ORDER.indexOf(key)).reverse();
  return earlier.find((k) => t.pair(k) !== undefined) ?? t.root().items.map((p) => scalarText(p.key)).filter((k): k is string => k !== undefined).pop();
}

/** Adds a member to a group file. */
export function addMember(text: string, m: MemberEntry): string {
  return checked(
    text,
    (t) => {
      const seq = t.seq('members');
      const pair = t.pair('members');
      if (pair && !seq && pair.value !== null) throw new EditError('members is not a list');
      if (!seq || seq.items.length === 0) {
        const lines = ['members:', ...memberLines(m, '  ')];
        if (pair) {
          // `members:` with no value or `members: []`: replace the entry by a block list.
          const from = t.lineStart((pair.key as Node).range![0]);
          const v = (pair.value ?? pair.key) as Node;
          const to = t.lineEnd(v.range![1] - 1 >= v.range![0] ? v.range![1] - 1 : v.range![0]);
          return t.splice(from, to, lines.map((l) => l + t.newline).join(''));
        }
        return t.insertAfterKey(keyBefore(t, 'members'), lines);
      }
      const logins = seq.items.map((n) => memberLogin(n) ?? '');
      const index = insertionIndex(logins, m.login);
      if (seq.flow) {
        if (m.expires !== undefined || m.reason !== undefined || seq.items.some((n) => !scalarText(n))) {
          throw new EditError('members is written as a flow list [..]; write it as a block list (one "- " per line) to add a member with an expiry');
        }
        const next = [...logins];
        next.splice(index, 0, m.login);
        return t.replaceFlowSeq(seq, next);
      }
      return t.insertBlockLines(seq, index, memberLines(m, t.blockIndent(seq)));
    },
    (data) => {
      const list = Array.isArray(data.members) ? [...(data.members as unknown[])] : [];
      const logins = list.map((x) => (typeof x === 'string' ? x : String((x as Data).user)));
      list.splice(list.length === 0 ? 0 : insertionIndex(logins, m.login), 0, memberData(m));
      return { ...data, members: list };
    },
  );
}

/** Moves the expiry of an existing temporary member (a renewal), and sets the reason when one is given. */
export function renewMember(text: string, login: string, expires: string, reason: string | undefined): string {
  return checked(
    text,
    (t) => {
      const seq = t.seq('members');
      const item = seq?.items.find((n) => foldLogin(memberLogin(n) ?? '') === foldLogin(login));
      if (!seq || !isMap(item) || seq.flow || item.flow) throw new EditError(`${login} has no expires entry to renew`);
      const exp = mapValueNode(item, 'expires');
      if (!exp) throw new EditError(`${login} has no expires entry to renew`);
      let next = t.replaceScalar(exp, expires);
      if (reason !== undefined) {
        const nseq = next.seq('members')!;
        const nitem = nseq.items.find((n) => foldLogin(memberLogin(n) ?? '') === foldLogin(login));
        const r = mapValueNode(nitem, 'reason');
        if (r) next = next.replaceScalar(r, reason);
        else {
          const e = mapValueNode(nitem, 'expires')!;
          const at = next.lineEnd(e.range![1] - 1);
          const indent = ' '.repeat(next.column((isMap(nitem) ? nitem.items.find((p) => scalarText(p.key) === 'expires')!.key as Node : e).range![0]));
          next = next.splice(at, at, `${indent}reason: ${blockScalar(reason)}${next.newline}`);
        }
      }
      return next;
    },
    (data) => ({
      ...data,
      members: (data.members as unknown[]).map((x) =>
        typeof x === 'object' && x !== null && foldLogin(String((x as Data).user)) === foldLogin(login)
          ? { ...(x as Data), expires, ...(reason !== undefined ? { reason } : {}) }
          : x),
    }),
  );
}

export interface Removed {
  readonly login: string;
  readonly expires: string;
}

export interface RemovedWaiver {
  readonly rule: string;
  readonly subject: string;
  readonly expires: string;
}

/** Removes the members whose expires date is before `today`. */
export function removeExpiredMembers(text: string, today: string): { text: string; removed: Removed[] } {
  return removeExpired(text, 'members', today, (n) => {
    const login = memberLogin(n);
    return login === undefined ? undefined : { login };
  });
}

/** Removes the waivers of policy.yaml whose expires date is before `today`. */
export function removeExpiredWaivers(text: string, today: string): { text: string; removed: RemovedWaiver[] } {
  return removeExpired(text, 'waivers', today, (n) => ({ rule: mapText(n, 'rule') ?? '', subject: mapText(n, 'subject') ?? '' }));
}

/** Removes the members whose login (folded) is in `keys`, comments and other lines kept (accessctl unused). */
export function removeMembers(text: string, keys: ReadonlySet<string>): { text: string; removed: string[] } {
  const r = removeWhere(text, 'members', (n) => {
    const login = memberLogin(n);
    return login !== undefined && keys.has(foldLogin(login)) ? login : undefined;
  });
  return { text: r.text, removed: [...r.removed] };
}

/** Removes the items of a top-level list whose `expires` is before `today`; `describe` names each (undefined skips it). */
function removeExpired<T extends object>(
  text: string,
  key: string,
  today: string,
  describe: (node: unknown) => T | undefined,
): { text: string; removed: Array<T & { expires: string }> } {
  return removeWhere(text, key, (n) => {
    const expires = mapText(n, 'expires');
    const what = describe(n);
    return what !== undefined && expires !== undefined && !stillActive(expires, today) ? { ...what, expires } : undefined;
  });
}

/** Removes the items of a top-level list that `pick` describes (undefined keeps an item), checking the result parses to the same data less them. */
function removeWhere<T>(text: string, key: string, pick: (node: unknown) => T | undefined): { text: string; removed: T[] } {
  const seq = new YamlText(text).seq(key);
  if (!seq) return { text, removed: [] };
  const expired: Array<{ i: number; item: T }> = [];
  seq.items.forEach((n, i) => {
    const item = pick(n);
    if (item !== undefined) expired.push({ i, item });
  });
  if (expired.length === 0) return { text, removed: [] };
  const drop = new Set(expired.map((x) => x.i));
  const out = checked(
    text,
    (t) => removeItems(t, key, [...drop]),
    (data) => ({ ...data, [key]: (data[key] as unknown[]).filter((_, i) => !drop.has(i)) }),
  );
  return { text: out, removed: expired.map((x) => x.item) };
}

/** Removes items of a top-level sequence, last first so earlier offsets stay valid. */
function removeItems(t: YamlText, key: string, indices: number[]): YamlText {
  const seq = t.seq(key)!;
  if (seq.flow) {
    const keep = seq.items.filter((_, i) => !indices.includes(i)).map((n) => scalarText(n));
    if (keep.some((k) => k === undefined)) throw new EditError(`${key} is written as a flow list; write it as a block list`);
    return t.replaceFlowSeq(seq, keep as string[]);
  }
  const remaining = seq.items.length - indices.length;
  let next = t;
  for (const i of [...indices].sort((a, b) => b - a)) next = next.removeBlockItem(next.seq(key)!, i);
  if (remaining === 0) {
    // `key:` with nothing under it would read as null: write an empty list.
    const p = next.pair(key)!;
    const k = p.key as Node;
    const end = next.lineEnd(k.range![0]);
    const line = next.text.slice(next.lineStart(k.range![0]), end);
    const colon = line.indexOf(':');
    const from = next.lineStart(k.range![0]) + colon + 1;
    const rest = line.slice(colon + 1).replace(/\r?\n$/, '');
    const comment = rest.trim().startsWith('#') ? ` ${rest.trim()}` : '';
    next = next.splice(from, end, ` []${comment}${next.newline}`);
  }
  return next;
}

/**
 * Adds an account to a group's grant of a permission set: to the account
 * list of an existing grant of that set when it has one, else as a new grant.
 */
export function addGrant(text: string, permissionSet: string, account: string): string {
  return checked(
    text,
    (t) => {
      const seq = t.seq('aws');
      const pair = t.pair('aws');
      const lines = (indent: string) => [`${indent}- permissionSet: ${blockScalar(permissionSet)}`, `${indent}  accounts: [${flowScalar(account)}]`];
      if (pair && !seq && pair.value !== null) throw new EditError('aws is not a list');
      if (!seq || seq.items.length === 0) {
        const block = ['aws:', ...lines('  ')];
        if (pair) {
          const from = t.lineStart((pair.key as Node).range![0]);
          const v = (pair.value ?? pair.key) as Node;
          return t.splice(from, t.lineEnd(Math.max(v.range![0], v.range![1] - 1)), block.map((l) => l + t.newline).join(''));
        }
        return t.insertAfterKey(keyBefore(t, 'aws'), block);
      }
      if (seq.flow) throw new EditError('aws is written as a flow list; write it as a block list');
      const existing = existingList(seq, permissionSet);
      if (existing) {
        const refs = existing.items.map((n) => scalarText(n) ?? '');
        if (existing.flow) return t.replaceFlowSeq(existing, [...refs, account]);
        return t.insertBlockLines(existing, existing.items.length, [`${t.blockIndent(existing)}- ${flowScalar(account)}`]);
      }
      return t.insertBlockLines(seq, seq.items.length, lines(t.blockIndent(seq)));
    },
    (data) => {
      const grants = Array.isArray(data.aws) ? (data.aws as Data[]).map((g) => ({ ...g })) : [];
      const g = grants.find((x) => x.permissionSet === permissionSet && Array.isArray(x.accounts));
      if (g) g.accounts = [...(g.accounts as unknown[]), account];
      else grants.push({ permissionSet, accounts: [account] });
      return { ...data, aws: grants };
    },
  );
}

/** The account list of the first grant of a permission set that names accounts (not a selector). */
function existingList(seq: YAMLSeq, permissionSet: string): YAMLSeq | undefined {
  for (const item of seq.items) {
    if (mapText(item, 'permissionSet') !== permissionSet) continue;
    const accounts = mapValueNode(item, 'accounts');
    if (isSeq(accounts) && accounts.items.every((n) => scalarText(n) !== undefined)) return accounts;
  }
  return undefined;
}
