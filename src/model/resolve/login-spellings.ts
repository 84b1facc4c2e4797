import { diag, cmp, type Diagnostic, type Position } from '../../diagnostics';
import { foldLogin } from '../logins';

/**
 * Collects every place a login is written (people.yaml, group owners and
 * members), to warn when one person is spelled two ways (ACC038).
 */
export class LoginSpellings {
  private readonly byKey = new Map<string, Array<{ login: string; at: Position; canonical: boolean }>>();

  add(login: string, at: Position, canonical: boolean): void {
    const key = foldLogin(login);
    const list = this.byKey.get(key);
    if (list) list.push({ login, at, canonical });
    else this.byKey.set(key, [{ login, at, canonical }]);
  }

  inconsistencies(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const list of this.byKey.values()) {
      const spellings = new Set(list.map((e) => e.login));
      if (spellings.size < 2) continue;
      const canonical = list.find((e) => e.canonical)?.login ?? mostCommon(list.map((e) => e.login));
      // Where the spelling to follow is written: people.yaml when it lists the person, else its first place.
      const places = list.filter((e) => e.login === canonical);
      const first = places.find((e) => e.canonical) ?? places[0]!;
      const others = places.length > 1 ? ` (and ${places.length - 1} other place${places.length === 2 ? '' : 's'})` : '';
      for (const e of list) {
        if (e.login !== canonical) {
          out.push(diag('ACC038', e.at, `"${e.login}" is written "${canonical}" at ${first.at.file}:${first.at.line}${others}`,
            `write "${canonical}" here too`));
        }
      }
    }
    return out;
  }
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0][0];
}
