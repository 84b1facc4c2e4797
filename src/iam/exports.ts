// Customer managed policy documents and service control policies, read from
// exports of the AWS CLI v2 (issue 27), so the evaluator can use them: both
// live in AWS, not in the access files. The layout sits in the same directory
// accessctl import reads (docs/import.md):
//
//   iam/<accountId>.json              aws iam get-account-authorization-details --filter LocalManagedPolicy
//                                     (run in that account)
//   organizations/organization.json   aws organizations describe-organization
//   organizations/roots.json          aws organizations list-roots
//   parents/<accountId|ouId>.json     aws organizations list-parents --child-id … (import reads these too)
//   organizations/targets/<id>.json   aws organizations list-policies-for-target --filter SERVICE_CONTROL_POLICY
//                                     --target-id … (the root, each OU above an account, each account)
//   organizations/policies/<id>.json  aws organizations describe-policy --policy-id …
//
// Both halves are optional: without iam/<accountId>.json an account's customer
// managed policies stay unknown; without organizations/ SCPs are not
// considered. What is there is read in full and checked field by field: an
// error names the file and the JSON path (PolicyExportError, ACC137).
import * as path from 'node:path';
import { ExportError, ExportFile, jsonFilesUnder } from '../import/exports';
import { checkPolicy, GRAMMAR_CODES } from './check';
import { customerManagedName, type CustomerManagedRef, type EvaluationOptions, type NamedDocument } from './evaluate';

export class PolicyExportError extends Error {
  readonly code = 'ACC137';
  constructor(readonly file: string, message: string, readonly hint?: string) {
    super(message);
  }
}

const ACCOUNT_ID = /^[0-9]{12}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):policy\//;
const SCP = 'SERVICE_CONTROL_POLICY';
/** AWS Organizations nests OUs five deep under the root. */
const MAX_DEPTH = 6;

/** One account's customer managed policies: customerManagedName(ref) -> default version's document. */
export interface AccountPolicies {
  readonly accountId: string;
  /** The export file, as messages show it. */
  readonly file: string;
  readonly documents: ReadonlyMap<string, unknown>;
}

export interface PolicyExports {
  /** The accounts with a customer managed policy export, by id. */
  readonly customerManaged: ReadonlyMap<string, AccountPolicies>;
  /** Whether an organizations export was given. */
  readonly organizations: boolean;
  /** What the evaluator takes for one account: its customer managed documents and the SCP levels above it. */
  optionsFor(accountId: string): EvaluationOptions;
  /** Why SCPs are not considered on an account although an organizations export was given; undefined otherwise. */
  scpGap(accountId: string): string | undefined;
}

/** Reads the exports under `dir` (shown as `label`); throws PolicyExportError on the first bad file. */
export function readPolicyExports(dir: string, label = dir): PolicyExports {
  const customerManaged = readCustomerManagedExports(dir, label);
  const org = guarded(() => readOrganizations(dir, label));
  const cache = new Map<string, EvaluationOptions>();
  return {
    customerManaged,
    organizations: org !== undefined,
    optionsFor(accountId) {
      let options = cache.get(accountId);
      if (options === undefined) {
        const docs = customerManaged.get(accountId)?.documents;
        const levels = org?.enabled && accountId !== org.managementAccountId ? org.levels.get(accountId) : undefined;
        options = {
          ...(docs ? { customerManaged: (ref: CustomerManagedRef) => docs.get(customerManagedName(ref)) } : {}),
          ...(levels ? { scps: levels } : {}),
        };
        cache.set(accountId, options);
      }
      return options;
    },
    scpGap(accountId) {
      if (org === undefined || !org.enabled || accountId === org.managementAccountId || org.levels.has(accountId)) return undefined;
      return `it is not in the organizations export (no ${label}/parents/${accountId}.json)`;
    },
  };
}

/** Every iam/<accountId>.json under `dir`, by account id. */
export function readCustomerManagedExports(dir: string, label = dir): Map<string, AccountPolicies> {
  return guarded(() => {
    const out = new Map<string, AccountPolicies>();
    for (const rel of jsonFilesUnder(dir, 'iam')) {
      const shown = `${label}/${rel}`;
      const accountId = path.posix.basename(rel, '.json');
      if (!ACCOUNT_ID.test(accountId) || rel !== `iam/${accountId}.json`) {
        throw new PolicyExportError(shown, 'not an account\'s export: name each file iam/<12-digit account id>.json');
      }
      out.set(accountId, readAccountPolicies(ExportFile.read(dir, rel, shown), accountId));
    }
    return out;
  });
}

/** Runs a reader, turning the shared export reader's ExportError into a PolicyExportError. */
function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ExportError) throw new PolicyExportError(e.file, e.message, e.hint);
    throw e;
  }
}

/** get-account-authorization-details --filter LocalManagedPolicy: each policy's default version. */
function readAccountPolicies(f: ExportFile, accountId: string): AccountPolicies {
  const documents = new Map<string, unknown>();
  f.list('Policies').forEach((p, i) => {
    const at = `Policies[${i}]`;
    const name = f.string(f.at(p, 'PolicyName'), `${at}.PolicyName`);
    const policyPath = f.string(f.at(p, 'Path'), `${at}.Path`);
    if (!policyPath.startsWith('/') || !policyPath.endsWith('/')) f.fail(`${at}.Path`, `"${policyPath}" is not an IAM path (it starts and ends with /)`);
    const arn = f.string(f.at(p, 'Arn'), `${at}.Arn`);
    const owner = POLICY_ARN.exec(arn)?.[1];
    if (owner === undefined) f.fail(`${at}.Arn`, `"${arn}" is not a customer managed policy ARN`);
    if (owner !== accountId) f.fail(`${at}.Arn`, `${arn} is a policy of account ${owner}, not of ${accountId} (the file's name): export each account into its own file`);
    const key = customerManagedName({ name, path: policyPath });
    if (documents.has(key)) f.fail(`${at}.PolicyName`, `${policyPath}${name} is listed twice`);
    documents.set(key, defaultDocument(f, p, at));
  });
  return { accountId, file: f.file, documents };
}

/** The document of the version DefaultVersionId names, which must be the one marked IsDefaultVersion. */
function defaultDocument(f: ExportFile, policy: unknown, at: string): unknown {
  const versionId = f.string(f.at(policy, 'DefaultVersionId'), `${at}.DefaultVersionId`);
  const versions = f.array(f.at(policy, 'PolicyVersionList'), `${at}.PolicyVersionList`);
  const j = versions.findIndex((v, k) => f.string(f.at(v, 'VersionId'), `${at}.PolicyVersionList[${k}].VersionId`) === versionId);
  if (j < 0) f.fail(`${at}.PolicyVersionList`, `no version ${versionId}, the DefaultVersionId: export with get-account-authorization-details, which lists every version`);
  const where = `${at}.PolicyVersionList[${j}]`;
  if (f.at(versions[j], 'IsDefaultVersion') !== true) f.fail(`${where}.IsDefaultVersion`, `is not true, but DefaultVersionId is ${versionId}`);
  const raw = f.at(versions[j], 'Document');
  if (typeof raw !== 'string') return policyDocument(f, f.object(raw, `${where}.Document`), `${where}.Document`);
  // The API returns the document URL-encoded; the AWS CLI decodes it.
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    f.fail(`${where}.Document`, 'is a string but not URL-encoded JSON');
  }
  return policyDocument(f, parseJson(f, text, `${where}.Document`), `${where}.Document`);
}

function parseJson(f: ExportFile, text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    f.fail(where, `not a JSON policy document: ${(e as Error).message}`);
  }
}

/** The document when IAM's grammar accepts it; the first grammar error otherwise, at its JSON path. */
function policyDocument(f: ExportFile, doc: unknown, where: string): unknown {
  const error = checkPolicy(doc).find((x) => GRAMMAR_CODES.has(x.code) && x.severity === 'error');
  if (error !== undefined) f.fail(`${where}${jsonPath(error.path)}`, `not a policy: ${error.message}`);
  return doc;
}

/** A JSON pointer ("/Statement/0/Effect") as a JSON path suffix (".Statement[0].Effect"). */
function jsonPath(pointer: string): string {
  return pointer.split('/').slice(1).map((k) => (/^[0-9]+$/.test(k) ? `[${k}]` : `.${k}`)).join('');
}

interface Organizations {
  readonly managementAccountId: string;
  /** Whether the root has SCPs enabled; when not, they do not apply. */
  readonly enabled: boolean;
  /** Account id -> SCPs by level: the root, each OU from the top, the account. */
  readonly levels: ReadonlyMap<string, readonly (readonly NamedDocument[])[]>;
}

/** organizations/ and parents/: undefined when there is no organizations/ directory. */
function readOrganizations(dir: string, label: string): Organizations | undefined {
  if (!ExportFile.exists(dir, 'organizations')) return undefined;
  const read = (rel: string): ExportFile => ExportFile.read(dir, rel, `${label}/${rel}`);
  const o = read('organizations/organization.json');
  const management = o.string(o.at(o.object(o.at(o.data, 'Organization'), 'Organization'), 'MasterAccountId'), 'Organization.MasterAccountId');
  if (!ACCOUNT_ID.test(management)) o.fail('Organization.MasterAccountId', `"${management}" is not a 12-digit account id`);
  const { rootId, enabled } = readRoot(read('organizations/roots.json'));
  const levels = new Map<string, NamedDocument[][]>();
  if (!enabled) return { managementAccountId: management, enabled, levels };
  const targets = new Map<string, NamedDocument[]>();
  const policies = new Map<string, NamedDocument>();
  const policy = (id: string): NamedDocument => policies.get(id) ?? policies.set(id, readScp(read(`organizations/policies/${id}.json`), id)).get(id)!;
  const target = (id: string): NamedDocument[] => targets.get(id) ?? targets.set(id, readTarget(read(`organizations/targets/${id}.json`), policy)).get(id)!;
  for (const rel of jsonFilesUnder(dir, 'parents')) {
    const accountId = path.posix.basename(rel, '.json');
    if (ACCOUNT_ID.test(accountId)) levels.set(accountId, chainOf(dir, label, accountId, rootId).map(target));
  }
  return { managementAccountId: management, enabled, levels };
}

/** list-roots: the one root, and whether SERVICE_CONTROL_POLICY is ENABLED on it. */
function readRoot(f: ExportFile): { rootId: string; enabled: boolean } {
  const roots = f.list('Roots');
  if (roots.length !== 1) f.fail('Roots', `expected one root, found ${roots.length}`);
  const rootId = f.string(f.at(roots[0], 'Id'), 'Roots[0].Id');
  const types = f.array(f.at(roots[0], 'PolicyTypes'), 'Roots[0].PolicyTypes');
  const enabled = types.some((t, i) => f.string(f.at(t, 'Type'), `Roots[0].PolicyTypes[${i}].Type`) === SCP
    && f.string(f.at(t, 'Status'), `Roots[0].PolicyTypes[${i}].Status`) === 'ENABLED');
  return { rootId, enabled };
}

/** The targets whose SCPs apply to an account, from the root down: root, OUs, the account. */
function chainOf(dir: string, label: string, accountId: string, rootId: string): string[] {
  const chain = [accountId];
  let child = accountId;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const rel = `parents/${child}.json`;
    if (!ExportFile.exists(dir, rel)) {
      throw new PolicyExportError(`${label}/${rel}`, `missing: the parents of account ${accountId} stop at ${child} and do not reach the root ${rootId}`,
        `export aws organizations list-parents --child-id ${child} (docs/import.md)`);
    }
    const f = ExportFile.read(dir, rel, `${label}/${rel}`);
    const parents = f.list('Parents');
    if (parents.length !== 1) f.fail('Parents', `expected one parent, found ${parents.length}`);
    const type = f.string(f.at(parents[0], 'Type'), 'Parents[0].Type');
    const id = f.string(f.at(parents[0], 'Id'), 'Parents[0].Id');
    if (type === 'ROOT') {
      if (id !== rootId) f.fail('Parents[0].Id', `the root ${id} is not the one organizations/roots.json lists (${rootId})`);
      return [id, ...chain.reverse()];
    }
    if (type !== 'ORGANIZATIONAL_UNIT') f.fail('Parents[0].Type', `expected ROOT or ORGANIZATIONAL_UNIT, found "${type}"`);
    chain.push(id);
    child = id;
  }
  throw new PolicyExportError(`${label}/parents/${accountId}.json`, `the parents of account ${accountId} do not reach the root ${rootId} within ${MAX_DEPTH} levels`);
}

/** list-policies-for-target --filter SERVICE_CONTROL_POLICY: the SCPs attached to one root, OU or account. */
function readTarget(f: ExportFile, policy: (id: string) => NamedDocument): NamedDocument[] {
  return f.list('Policies').map((p, i) => {
    const type = f.string(f.at(p, 'Type'), `Policies[${i}].Type`);
    if (type !== SCP) f.fail(`Policies[${i}].Type`, `is ${type}, not ${SCP}: export with --filter ${SCP}`);
    return policy(f.string(f.at(p, 'Id'), `Policies[${i}].Id`));
  });
}

/** describe-policy: the SCP's name and its Content (a JSON string). */
function readScp(f: ExportFile, id: string): NamedDocument {
  const summary = f.object(f.at(f.object(f.at(f.data, 'Policy'), 'Policy'), 'PolicySummary'), 'Policy.PolicySummary');
  const described = f.string(summary.Id, 'Policy.PolicySummary.Id');
  if (described !== id) f.fail('Policy.PolicySummary.Id', `is ${described}, but the file is named for ${id}`);
  const type = f.string(summary.Type, 'Policy.PolicySummary.Type');
  if (type !== SCP) f.fail('Policy.PolicySummary.Type', `is ${type}, not ${SCP}`);
  const name = f.string(summary.Name, 'Policy.PolicySummary.Name');
  const content = f.string(f.at(f.at(f.data, 'Policy'), 'Content'), 'Policy.Content');
  return { name, document: policyDocument(f, parseJson(f, content, 'Policy.Content'), 'Policy.Content') };
}
