/**
 * Step 9: imports.yaml and imports/*.yaml, the existing objects Terraform
 * adopts instead of creating.
 */
import { partitionMismatch } from '../../aws/managed-policies';
import { diag, type Diagnostic, type Position } from '../../diagnostics';
import type { ImportsDocument } from '../../schema/imports';
import type { Typed } from './input';
import type { ImportEntry, Settings } from '../types';
import { at, where, type ResolveContext } from './context';

/** The ARNs in the import ids of AWS resources, against the partition of aws.region (ACC100). */
export function checkImportArns(imports: ReadonlyArray<Typed<ImportsDocument>>, region: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { file, data } of imports) {
    data.imports.forEach((e, i) => {
      if (!e.resource.startsWith('aws_')) return;
      const foreign = (e.id.match(/arn:[^:,]*:[^,]*/g) ?? []).map((arn) => partitionMismatch(arn, region, 'import id ARN')).find((p) => p !== undefined);
      if (foreign) out.push(diag('ACC100', file.locate(['imports', i, 'id']), foreign.message, foreign.hint));
    });
  }
  return out;
}

/** One entry per resource instance (ACC090), in file order. */
export function resolveImports(ctx: ResolveContext): ImportEntry[] {
  const imports: ImportEntry[] = [];
  const seen = new Map<string, Position>();
  for (const { file, data } of ctx.input.imports ?? []) {
    data.imports.forEach((e, i) => {
      const source = at(file, ['imports', i]);
      const k = `${e.resource}\u0000${e.key}`;
      const first = seen.get(k);
      if (first) {
        ctx.out.push(diag('ACC090', at(file, ['imports', i, 'key']), `${e.resource} "${e.key}" is already imported at ${where(first)}`,
          'keep one entry per resource instance'));
        return;
      }
      seen.set(k, source);
      imports.push({ resource: e.resource, key: e.key, id: e.id, source });
    });
  }
  return imports;
}

/**
 * The AWS app declared a second time as an app managed elsewhere would let groups be assigned to it
 * (apps: [<that key>]) while they are pushed: the one thing Okta does not support (ACC045).
 */
export function checkImportedAwsApp(ctx: ResolveContext, settings: Settings, imports: readonly ImportEntry[]): void {
  const settingsFile = ctx.input.settings?.file;
  for (const saml of imports.filter((e) => e.resource === 'okta_app_saml')) {
    for (const app of settings.okta.apps) {
      if (app.kind === 'existing' && app.id === saml.id && settingsFile) {
        ctx.out.push(diag('ACC045', at(settingsFile, ['okta', 'apps', app.key, 'id']),
          `app "${app.key}" has the id of the AWS IAM Identity Center app (imported at ${where(saml.source)}):`
            + ' groups assigned through it would be both assigned to the AWS app and pushed to it',
          `remove okta.apps.${app.key}: groups reach AWS with apps: [${saml.key}],`
            + ' which pushes them and assigns their members through the assignment group'));
      }
    }
  }
}
