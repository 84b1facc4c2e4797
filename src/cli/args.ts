import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggest } from '../util/suggest';

/** A mistake on the command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing: unknown options and missing values are usage errors. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    const unknown = /Unknown option '(--?[^']+)'/.exec(message);
    if (unknown) {
      const [best] = suggest(unknown[1].replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(`unknown option ${unknown[1]}${best ? ` (did you mean --${best}?)` : ''}`);
    }
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** Checks an option value against its allowed choices; never falls back to a default. */
export function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const [best] = suggest(value, allowed);
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}"${best ? ` (did you mean "${best}"?)` : ''}`);
}

export const DIR_OPTION = { dir: { type: 'string', short: 'd', default: 'access' } } as const;
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;
