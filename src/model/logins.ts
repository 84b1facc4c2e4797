/**
 * Okta treats logins as equal ignoring case and diacritics; so does accessctl
 * when it compares them ("Zoë@Example.com" and "zoe@example.com" are one person).
 */
export function foldLogin(login: string): string {
  return login.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
