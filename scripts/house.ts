// How the house reads (issue 26): the largest functions and files of src/ and
// stacks/ (generated bindings left out), and the lines longer than 250 characters.
//   npm run -s build:tools && node dist-tools/scripts/house.js [--top N]

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === path.join(ROOT, 'stacks', 'gen') ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

interface Sized {
  readonly lines: number;
  readonly where: string;
}

function main(): void {
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 12;
  const functions: Sized[] = [];
  const files: Sized[] = [];
  let long = 0;
  let longest = 0;
  for (const file of [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'stacks'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    const lines = text.split('\n');
    files.push({ lines: lines.length, where: rel });
    for (const l of lines) {
      if (l.length > 250) long++;
      longest = Math.max(longest, l.length);
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
        const start = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        const named = (n as { name?: ts.Node }).name ?? (n.parent as { name?: ts.Node }).name;
        functions.push({ lines: end - start + 1, where: `${rel}:${start + 1} ${named ? named.getText(sf) : '(anonymous)'}` });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const largest = (xs: Sized[]): string => [...xs].sort((a, b) => b.lines - a.lines || a.where.localeCompare(b.where)).slice(0, top)
    .map((x) => `  ${String(x.lines).padStart(5)}  ${x.where}`).join('\n');
  process.stdout.write(`largest functions:\n${largest(functions)}\nlargest files:\n${largest(files)}\n`);
  process.stdout.write(`${files.length} files, ${functions.filter((f) => f.lines > 80).length} functions over 80 lines, `);
  process.stdout.write(`${long} lines over 250 characters (longest ${longest})\n`);
}

main();
