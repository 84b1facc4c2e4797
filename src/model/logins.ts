/**
 * Okta treats logins as equal ignoring case and diacritics; so does accessctl
 * when it compares them ("Zoë@Example.com" and "zoe@example.com" are one person).
 */
export function foldLogin(login: string): string {
  // Most logins are ASCII: lower-casing is all they need, and far cheaper than normalizing.
  if (/^[\x20-\x7e]*$/.test(login)) return login.toLowerCase();
  return login.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
