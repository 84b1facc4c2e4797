// The process entry point: the one place that touches process.* and exits.
import { sanitizeText } from '../util/sanitize';
import { main } from './main';

// A reader that stops early (`accessctl synth | head -1`) closes the pipe: that ends the output quietly, as in
// other command-line tools, instead of a stack trace from an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

// What commands print is sanitised in main(), which knows the output format; these write it as given.
function write(stream: NodeJS.WriteStream): (text: string) => void {
  return (text) => {
    stream.write(text);
  };
}

main(process.argv.slice(2), {
  cwd: process.cwd(),
  now: () => new Date(),
  env: process.env,
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  isTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(sanitizeText(`accessctl: internal error: ${String(e)}\n`));
    process.exitCode = 2;
  },
);
