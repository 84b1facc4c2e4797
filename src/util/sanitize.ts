/**
 * The one sanitiser for text that reaches a terminal or a CI log.
 *
 * User text (a description, a member's reason, an OU glob, a file name) may hold characters a terminal or the
 * GitHub Actions runner acts on. Printed raw they recolour or rewrite the terminal, or forge workflow commands:
 * the runner reads a line that starts, after white space, with `::` as a command (`::error file=…::…` is an
 * annotation, `::stop-commands::` silences every later one), reads `##[command]` anywhere in a line (the legacy
 * form), and splits lines at a lone carriage return as well as at a line feed. So, in what is printed:
 *
 * - every C0 control but line feed and tab, DEL and every C1 control (ESC and CSI included, which is what
 *   starts a terminal escape sequence) shows as `\xNN`, so the rest of a sequence is inert text;
 * - a carriage return shows as `\x0d` unless a line feed follows it;
 * - a line that would start a workflow command gets its first `:` as `\x3a` (white space before it is kept:
 *   the runner trims it, so a space in front would not help), and `##[` becomes `##\x5b`.
 *
 * What it writes has none of these left, so it is idempotent. It does not escape `\` itself: the aim is that
 * nothing acts on the text, not that it can be read back. Machine formats (JSON, CSV, Markdown, HTML) escape
 * in their own terms and are written byte-exact; workflow-command data and properties have their own escapes
 * below.
 */
export interface SanitizeOptions {
  /** Leave `::` at line starts alone: for output whose workflow commands are its own (`--format github`). */
  readonly workflowCommands?: boolean;
  /** Keep a lone carriage return: for an interactive terminal, where it redraws a progress line. */
  readonly carriageReturn?: boolean;
  /** The text does not start a line (it continues one that holds more than white space). */
  readonly midLine?: boolean;
}

// C0 but \t and \n, DEL, C1. A carriage return is matched with what follows it, to tell CRLF from a lone one.
const CONTROL = /\r\n?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// White space the runner trims (.NET's TrimStart; JavaScript's \s is a superset), then `::`.
const COMMAND_LINE = /(^|\n|\r)([^\S\n\r]*):(?=:)/g;
const LEGACY_COMMAND = /##\[/g;

/** `\u001b` -> `\x1b`: how a character the sanitiser will not print is shown. */
export function visibleEscape(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

export function sanitizeText(text: string, opts: SanitizeOptions = {}): string {
  let out = text.replace(CONTROL, (c) => (c === '\r\n' || (c === '\r' && opts.carriageReturn) ? c : visibleEscape(c)));
  out = out.replace(LEGACY_COMMAND, '##\\x5b');
  if (!opts.workflowCommands) {
    out = out.replace(
      COMMAND_LINE,
      (m, start: string, space: string, offset: number) => (offset === 0 && start === '' && opts.midLine ? m : `${start}${space}\\x3a`),
    );
  }
  return out;
}

/** A stream writer that sanitises what it is given in pieces, as `io.stdout` is called: a line may span calls. */
export interface SanitizingWriter {
  readonly write: (text: string) => void;
  /** Writes what is held back for the next piece (see `held`): call once, at the end. */
  readonly flush: () => void;
}

export function sanitizingWriter(write: (text: string) => void, opts: Omit<SanitizeOptions, 'midLine'> = {}): SanitizingWriter {
  let midLine = false;
  // The end of a piece that the next may complete: a CR (of a CRLF?), `#` or `##` (of `##[`?), a `:` that starts a line (of `::`?).
  let held = '';
  const emit = (text: string): void => {
    if (text === '') return;
    const out = sanitizeText(text, { ...opts, midLine });
    const lineBreak = Math.max(out.lastIndexOf('\n'), out.lastIndexOf('\r'));
    midLine = (lineBreak < 0 && midLine) || /\S/.test(out.slice(lineBreak + 1));
    write(out);
  };
  return {
    write(piece) {
      const text = held + piece;
      const lineStart = (before: string): boolean => {
        const lineBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
        return (lineBreak >= 0 || !midLine) && !/\S/.test(before.slice(lineBreak + 1));
      };
      const cut = !opts.carriageReturn && text.endsWith('\r') ? 1
        : text.endsWith('##') ? 2
        : text.endsWith('#') || (!opts.workflowCommands && text.endsWith(':') && lineStart(text.slice(0, -1))) ? 1
        : 0;
      held = text.slice(text.length - cut);
      emit(text.slice(0, text.length - cut));
    },
    flush() {
      emit(held);
      held = '';
    },
  };
}

/** GitHub workflow-command data (after the second `::`): `%`, CR and LF percent-encoded, the rest sanitised. */
export function workflowData(text: string): string {
  return sanitizeText(text, { workflowCommands: true }).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow-command property value (`file=…`): as data, and `:` and `,`, which end a property, encoded too. */
export function workflowProperty(text: string): string {
  return workflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
