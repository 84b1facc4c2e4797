import { catalogueServices } from '../../aws/action-catalogue';
import { policiesOf } from '../../iam/permission-set';
import { sensitivePatterns } from '../../iam/sensitive';
import { summarize } from '../../iam/summary';
import { PERMISSIONS_FORMATS, PERMISSIONS_REPORTERS } from '../../reporters/permissions';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { loadOrReport, VERBOSE_OPTION } from '../load-or-report';
import { knownValues } from './who-can';

export const permissions: Command = {
  name: 'permissions',
  summary: 'what a permission set can do, by service and access level, with the sensitive actions it holds',
  usage: `accessctl permissions --permission-set NAME [--dir DIR] [--service S]...
                      [--format ${PERMISSIONS_FORMATS.join('|')}] [--verbose]

Summarizes what a permission set's policies allow on some resource, service by
service: for each access level (List, Read, Tagging, Write, Permissions
management) how many of the service's actions are allowed, allowed only under
conditions, or unknown (they depend on a customer managed policy or boundary
whose document is not known), out of how many exist, and a verdict: full
(every action allowed), else the widest level with an allowed action
(permissions management, write, tagging, read, list), else conditional,
unknown or none. Services where nothing is held are left out; --service
(repeatable) lists only those services, each even when nothing is held. The
sensitive actions (policy.yaml sensitiveActions, or the default list) are
named with the statement that allows them and its resources. markdown is for
PR comments and review sheets. A permission set or service that does not
exist is a usage error (exit 2) with "did you mean"; files that do not load
exit 1. See docs/permissions.md.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      format: { type: 'string', short: 'f' },
      'permission-set': { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
      ...VERBOSE_OPTION,
    });
    const format = choice('format', values.format, PERMISSIONS_FORMATS, 'text');
    const [name, ...more] = values['permission-set'] ?? [];
    if (name === undefined) throw new UsageError('--permission-set NAME is required: the permission set to summarize');
    if (more.length > 0) throw new UsageError(`--permission-set: one permission set at a time; got ${[name, ...more].join(', ')}`);
    const services = values.service === undefined
      ? undefined
      : [...knownValues('service', values.service, catalogueServices(), '', (s) => s.toLowerCase())];
    const model = loadOrReport(values.dir, io, !values.verbose);
    if (!model) return EXIT_FINDINGS;
    knownValues('permission-set', [name], model.permissionSets.map((p) => p.name));
    const ps = model.permissionSets.find((p) => p.name === name)!;
    const summary = summarize({ permissionSet: ps.name, policies: policiesOf(ps), patterns: sensitivePatterns(model), ...(services ? { services } : {}) });
    io.stdout(PERMISSIONS_REPORTERS[format](summary));
    return EXIT_OK;
  },
};
