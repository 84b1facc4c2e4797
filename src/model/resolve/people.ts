/**
 * Step 3: people.yaml, the people owners and members are checked against.
 * Okta logins compare ignoring case and accents (src/model/logins.ts).
 */
import { diag, cmp } from '../../diagnostics';
import { foldLogin } from '../logins';
import type { Person } from '../types';
import { at, where, type ResolveContext } from './context';
import type { LoginSpellings } from './login-spellings';

/** The people, sorted by folded login, and who is who by folded login. */
export interface PeopleIndex {
  readonly people: Person[];
  readonly byKey: Map<string, Person>;
}

/** Every person once (ACC034), each GitHub handle once (ACC036); their logins are the spellings to follow. */
export function resolvePeople(ctx: ResolveContext, logins: LoginSpellings): PeopleIndex {
  const people: Person[] = [];
  const byKey = new Map<string, Person>();
  if (ctx.input.people) {
    const { file, data } = ctx.input.people;
    const byGithub = new Map<string, Person>();
    data.people.forEach((p, i) => {
      const source = at(file, ['people', i]);
      const key = foldLogin(p.login);
      const same = byKey.get(key);
      if (same) {
        ctx.out.push(diag('ACC034', at(file, ['people', i, 'login']), `"${p.login}" is the same Okta login as "${same.login}" at ${where(same.source)}`,
          'Okta logins are unique ignoring case and accents'));
        return;
      }
      const person: Person = {
        login: p.login,
        source,
        ...(p.github !== undefined ? { github: p.github } : {}),
        ...(p.name !== undefined ? { name: p.name } : {}),
      };
      if (p.github !== undefined) {
        const gh = p.github.toLowerCase();
        const other = byGithub.get(gh);
        if (other) {
          ctx.out.push(diag('ACC036', at(file, ['people', i, 'github']),
            `GitHub handle "${p.github}" is already used by "${other.login}" at ${where(other.source)}`));
        } else byGithub.set(gh, person);
      }
      byKey.set(key, person);
      people.push(person);
      logins.add(p.login, at(file, ['people', i, 'login']), true);
    });
  }
  people.sort((a, b) => cmp(foldLogin(a.login), foldLogin(b.login)));
  return { people, byKey };
}
