// The process entry point: the one place that touches process.* and exits.
import { main } from './main';

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
    process.stderr.write(`accessctl: internal error: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
