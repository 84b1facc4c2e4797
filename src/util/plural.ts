/** "1 error", "2 errors": the count and the word, with an s unless the count is one. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
