import * as fs from 'node:fs';
import { instantOf } from '../../util/dates';
import * as os from 'node:os';
import * as path from 'node:path';
import { configBlock, mergeConfig } from '../../aws/cli-config';
import { displayPath } from '../../load/source';
import { effectiveAccess, knownPeople } from '../../model/access';
import { foldLogin } from '../../model/logins';
import { suggest } from '../../util/suggest';
import { writeFileAtomic } from '../../util/fs';
import { DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { loadOrReport, VERBOSE_OPTION } from '../load-or-report';

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;

export const awsConfig: Command = {
  name: 'aws-config',
  summary: "write one person's AWS CLI profiles: an sso-session and a profile per account and permission set",
  usage: `accessctl aws-config --user LOGIN [--region REGION] [--session NAME] [--out FILE|-] [--dir DIR] [--verbose]

Writes the AWS CLI v2 configuration for LOGIN: one [sso-session NAME] (the
access portal URL and region of settings.yaml; NAME defaults to the Okta org)
and one [profile <account>.<permissionSet>] for every account and permission
set they can reach today, with region REGION (default: the settings region).
It merges into FILE (default: $AWS_CONFIG_FILE, else ~/.aws/config) between
marker lines, so other profiles stay as they are and a re-run replaces only
what the previous run wrote; it refuses when a section it would write is
already defined elsewhere in FILE (the AWS CLI reads [profile "x"] and
[profile x] as one). --out - prints the block. Then:
aws sso login --sso-session NAME; aws s3 ls --profile <account>.<permissionSet>.
Warnings in the files are counted on stderr; --verbose lists them.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      {
        ...DIR_OPTION,
        ...HELP_OPTION,
        user: { type: 'string', short: 'u' },
        region: { type: 'string' },
        session: { type: 'string' },
        out: { type: 'string', short: 'o' },
        ...VERBOSE_OPTION,
      },
    );
    if (values.user === undefined) throw new UsageError('--user is required');
    if (values.region !== undefined && !REGION.test(values.region)) throw new UsageError(`--region: "${values.region}" is not an AWS region name such as ` +
        `eu-west-1`);
    if (values.session !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(values.session)) throw new UsageError('--session: letters, digits, ".", "_" and "-" ' +
        'only');
    const model = loadOrReport(values.dir, io, !values.verbose);
    if (!model) return EXIT_FINDINGS;
    const key = foldLogin(values.user);
    const logins = knownPeople(model);
    const login = logins.get(key);
    if (login === undefined) {
      const [best] = suggest(values.user, [...logins.values()]);
      throw new UsageError(`--user: nobody with the login "${values.user}"${best ? ` (did you mean "${best}"?)` : ''}`);
    }
    const rows = effectiveAccess(model, instantOf(io.now()), { users: new Set([key]) });
    if (rows.length === 0) {
      io.stderr(`${login} has no AWS access today: nothing to write\n`);
      return EXIT_FINDINGS;
    }
    const session = values.session ?? model.settings.okta.org;
    const block = configBlock(
      {
        session,
        startUrl: model.settings.aws.startUrl,
        ssoRegion: model.settings.aws.region,
        region: values.region ?? model.settings.aws.region,
        user: login,
        rows,
      },
    );
    if (values.out === '-') {
      io.stdout(`${block}\n`);
      return EXIT_OK;
    }
    const home = io.env.HOME || os.homedir();
    // The AWS CLI expands a leading ~ in AWS_CONFIG_FILE; so do we.
    const configured = io.env.AWS_CONFIG_FILE ? io.env.AWS_CONFIG_FILE.replace(/^~(?=$|\/)/, home) : undefined;
    const file = path.resolve(io.cwd, values.out ?? configured ?? path.join(home, '.aws', 'config'));
    let existing = '';
    try {
      existing = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        io.stderr(`cannot read ${file}: ${(e as Error).message}\n`);
        return EXIT_FINDINGS;
      }
    }
    const merged = mergeConfig(existing, block, session);
    const shown = displayPath(io.cwd, file);
    if ('errors' in merged) {
      for (const e of merged.errors) io.stderr(`${shown}:${e.line}: ${e.message}\n`);
      io.stderr(`nothing was written to ${shown}\n`);
      return EXIT_FINDINGS;
    }
    try {
      // Through a symbolic link (dotfiles kept in a repository) to the file it names, so the link stays a link.
      writeFileAtomic(fs.existsSync(file) ? fs.realpathSync(file) : file, merged.text);
    } catch (e) {
      io.stderr(`cannot write ${shown}: ${(e as Error).message} (the file is unchanged)\n`);
      return EXIT_FINDINGS;
    }
    io.stdout(`${merged.replaced ? 'updated' : 'wrote'} ${rows.length} profile${rows.length === 1 ? '' : 's'} for ${login} in ${shown} (sso-session ` +
        `${session}); sign in with: aws sso login --sso-session ${session}\n`);
    return EXIT_OK;
  },
};
