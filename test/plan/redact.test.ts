import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanFormatError } from '../../src/plan/plan-json';
import { maskSensitive, redactPlan, SENSITIVE } from '../../src/plan/redact';
import { run, tempRepo } from '../support/helpers';

/** What must never reach an uploaded plan: the SCIM token, and anything else a plan may hold besides what is read. */
const SECRET = 'scim-token-7f3a9c1e';

/** An org whose group "team" holds ReadOnly on prod and dev (the fixture plans speak of it). */
const ORG = { 'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n' };

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = (name: string): Doc => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures/plans', name), 'utf8'));

const managed = (type: string, index: string, change: Doc, extra: Doc = {}): Doc => ({
  address: `${type}.this[${JSON.stringify(index)}]`, mode: 'managed', type, name: 'this', index, provider_name: 'registry.terraform.io/okta/okta', ...extra, change: { after_unknown: {}, before_sensitive: {}, after_sensitive: {}, ...change },
});

/** The okta fixture plan with the secret planted everywhere Terraform may put one, and changes that make plan-summary read every field it reads. */
function plantedOktaPlan(): Doc {
  const plan = fixture('okta-members.json');
  const state = plan.prior_state.values.root_module;
  state.resources[0].values.users[0] = { id: '00u1lead', login: 'lead@example.com', email: SECRET, profile: { mobilePhone: SECRET } };
  state.resources.push(
    { address: 'okta_group.this["team"]', mode: 'managed', type: 'okta_group', name: 'this', index: 'team', values: { id: '00g1team', name: 'team', description: SECRET }, sensitive_values: {} },
    { address: 'okta_group.this["old-team"]', mode: 'managed', type: 'okta_group', name: 'this', index: 'old-team', values: { id: '00g2old', name: 'old-team', description: 'x' }, sensitive_values: {} },
    { address: 'okta_app_connection.this["aws"]', mode: 'managed', type: 'okta_app_connection', name: 'this', index: 'aws', values: { base_url: 'https://scim.example.com', token: SECRET, profile: { token: SECRET } }, sensitive_values: { token: true } },
  );
  state.child_modules = [{ address: 'module.extra', resources: [{ address: 'module.extra.okta_group.g', mode: 'managed', type: 'okta_group', name: 'g', values: { id: '00g3child', name: 'child', description: SECRET } }] }];
  plan.prior_state.values.outputs = { scim_token: { sensitive: true, value: SECRET } };
  plan.resource_changes.push(
    managed('okta_app_connection', 'aws', { actions: ['update'], before: { base_url: 'https://scim.example.com', token: SECRET }, after: { base_url: 'https://scim.example.com', token: SECRET }, before_sensitive: { token: true }, after_sensitive: { token: true }, replace_paths: [['token']] }, { action_reason: 'replace_by_triggers' }),
    managed('okta_app_features', 'aws', { actions: ['update'], before: { status: 'ENABLED', token: SECRET }, after: { status: 'ENABLED', token: SECRET }, before_sensitive: true, after_sensitive: true }),
    managed('okta_group', 'team', { actions: ['update'], before: { id: '00g1team', name: 'team-old' }, after: { id: '00g1team', name: 'team' } }),
    managed('okta_app_group_assignments', 'aws', { actions: ['update'], before: { group: [{ id: '00g1team', priority: 0, profile: '{}' }, { id: '00g2old', priority: 1, profile: '{}' }] }, after: { group: [{ id: '00g1team', priority: 0, profile: '{}' }] } }),
    { address: 'data.okta_app_saml.aws', mode: 'data', type: 'okta_app_saml', name: 'aws', change: { actions: ['read'], before: null, after: { key: SECRET }, after_unknown: {} } },
  );
  plan.resource_changes[0].change.after = { users: [{ id: '00u9', login: 'x@example.com', email: SECRET }] };
  plan.planned_values = {
    outputs: { pending_scim_groups: { sensitive: false, value: ['new-team'] }, scim_token: { sensitive: true, value: SECRET } },
    root_module: { resources: [{ address: 'okta_app_connection.this["aws"]', values: { token: SECRET }, sensitive_values: { token: true } }] },
  };
  plan.variables = { okta_aws_scim_token: { value: SECRET } };
  plan.configuration = { root_module: { variables: { okta_aws_scim_token: { sensitive: true } }, resources: [{ address: 'okta_app_connection.this', expressions: { token: { constant_value: SECRET } } }] } };
  plan.resource_drift = [managed('okta_app_connection', 'aws', { actions: ['update'], before: { token: SECRET }, after: { token: SECRET } })];
  plan.output_changes = { scim_token: { actions: ['create'], before: null, after: SECRET, after_sensitive: false } };
  plan.relevant_attributes = [{ resource: 'okta_app_connection.this["aws"]', attribute: ['token', SECRET] }];
  plan.checks = [{ address: { kind: 'resource', to_display: 'x' }, status: 'fail', instances: [{ problems: [{ message: SECRET }] }] }];
  plan.some_future_field = { token: SECRET };
  return plan;
}

describe('redactPlan', () => {
  it('leaves the secret nowhere in the plan: drift, prior state, variables, configuration, outputs, checks, unknown keys, masked values', () => {
    const planted = plantedOktaPlan();
    const places = ['resource_drift', 'prior_state', 'variables', 'configuration', 'output_changes', 'relevant_attributes', 'checks', 'some_future_field', 'resource_changes', 'planned_values'];
    expect(places.filter((k) => !JSON.stringify(planted[k]).includes(SECRET))).toEqual([]);
    const out = JSON.stringify(redactPlan(planted));
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('"email"');
    expect(out).toContain(`"${SENSITIVE}"`);
  });

  it('keeps only the top-level keys plan-summary and the CI scripts read', () => {
    const out = redactPlan(plantedOktaPlan()) as Doc;
    expect(Object.keys(out)).toEqual(['format_version', 'terraform_version', 'resource_changes', 'planned_values', 'prior_state']);
    expect(out.planned_values).toEqual({ outputs: { pending_scim_groups: { value: ['new-team'] } } });
    expect(Object.keys(out.prior_state)).toEqual(['values']);
    expect(Object.keys(out.prior_state.values)).toEqual(['root_module']);
    expect(new Set(out.resource_changes.flatMap((rc: Doc) => Object.keys(rc)))).toEqual(new Set(['address', 'mode', 'type', 'name', 'index', 'change']));
    expect(new Set(out.resource_changes.flatMap((rc: Doc) => Object.keys(rc.change)))).toEqual(new Set(['actions', 'before', 'after', 'after_unknown']));
    expect(Object.keys(redactPlan({ format_version: '1.2' }))).toEqual(['format_version', 'resource_changes']);
  });

  it('cuts a small plan down to exactly what is read', () => {
    const plan = {
      format_version: '1.2',
      terraform_version: '1.13.3',
      variables: { okta_aws_scim_token: { value: SECRET } },
      planned_values: { outputs: { pending_scim_groups: { sensitive: false, value: ['new-team', 7, { x: SECRET }] } }, root_module: { resources: [] } },
      resource_changes: [
        {
          address: 'data.okta_users.this["000"]', mode: 'data', type: 'okta_users', name: 'this', index: '000', provider_name: 'registry.terraform.io/okta/okta',
          change: { actions: ['read'], before: { users: [] }, after: { users: [{ id: '00u1', login: 'a@example.com', email: SECRET }, { id: '00u2' }] }, after_unknown: {} },
        },
        { address: 'data.okta_app_saml.aws', mode: 'data', type: 'okta_app_saml', name: 'aws', change: { actions: ['read'], before: null, after: { key: SECRET } } },
        {
          address: 'okta_app_connection.this["aws"]', mode: 'managed', type: 'okta_app_connection', name: 'this', index: 'aws', action_reason: 'replace_by_triggers', deposed: 'abc',
          change: {
            actions: ['delete', 'create'],
            before: { base_url: 'https://scim.example.com', token: SECRET, id: 'c1', headers: [{ name: 'h', value: SECRET }] },
            after: { base_url: 'https://scim.example.com', token: SECRET, id: null, headers: [{ name: 'h', value: SECRET }] },
            after_unknown: { id: true }, before_sensitive: { token: true, headers: [{ value: true }] }, after_sensitive: { token: true, id: true, headers: [{ value: true }] }, replace_paths: [['token']], importing: { id: 'x' },
          },
        },
        {
          address: 'okta_group_memberships.this["team"]', previous_address: 'okta_group_memberships.this["old"]', mode: 'managed', type: 'okta_group_memberships', name: 'this', index: 'team',
          change: { actions: ['no-op'], before: { users: ['00u1'] }, after: { users: ['00u1'] }, before_sensitive: false, after_sensitive: false },
        },
      ],
      prior_state: {
        format_version: '1.0',
        values: {
          outputs: { scim_token: { sensitive: true, value: SECRET } },
          root_module: {
            resources: [
              { address: 'data.okta_users.this["000"]', mode: 'data', type: 'okta_users', name: 'this', index: '000', values: { users: [{ id: '00u1', login: 'a@example.com', profile: { email: SECRET } }] }, sensitive_values: {} },
              { address: 'okta_group.this["team"]', mode: 'managed', type: 'okta_group', name: 'this', index: 'team', values: { id: '00g1', name: 'team', description: SECRET }, sensitive_values: {} },
              { address: 'okta_app_connection.this["aws"]', mode: 'managed', type: 'okta_app_connection', name: 'this', index: 'aws', values: { token: SECRET }, sensitive_values: { token: true } },
              { address: 'data.okta_users.other', mode: 'managed', type: 'okta_users', values: { users: [{ id: SECRET, login: SECRET }] } },
            ],
            child_modules: [{ address: 'module.m', resources: [{ address: 'module.m.okta_group.g', mode: 'managed', type: 'okta_group', values: { id: '00g2', name: { nested: SECRET } } }] }],
          },
        },
      },
      resource_drift: [{ address: 'okta_app_connection.this["aws"]', change: { before: { token: SECRET } } }],
    };
    expect(redactPlan(plan)).toEqual({
      format_version: '1.2',
      terraform_version: '1.13.3',
      resource_changes: [
        { address: 'data.okta_users.this["000"]', mode: 'data', type: 'okta_users', name: 'this', index: '000', change: { actions: ['read'], before: null, after: { users: [{ id: '00u1', login: 'a@example.com' }, { id: '00u2', login: null }] } } },
        { address: 'data.okta_app_saml.aws', mode: 'data', type: 'okta_app_saml', name: 'aws', change: { actions: ['read'], before: null, after: null } },
        {
          address: 'okta_app_connection.this["aws"]', mode: 'managed', type: 'okta_app_connection', name: 'this', index: 'aws',
          change: {
            actions: ['delete', 'create'],
            before: { base_url: 'https://scim.example.com', token: SENSITIVE, id: 'c1', headers: [{ name: 'h', value: SENSITIVE }] },
            after: { base_url: 'https://scim.example.com', token: SENSITIVE, id: null, headers: [{ name: 'h', value: SENSITIVE }] },
            after_unknown: { id: true },
            importing: {},
          },
        },
        {
          address: 'okta_group_memberships.this["team"]', previous_address: 'okta_group_memberships.this["old"]', mode: 'managed', type: 'okta_group_memberships', name: 'this', index: 'team',
          change: { actions: ['no-op'], before: { users: ['00u1'] }, after: { users: ['00u1'] } },
        },
      ],
      planned_values: { outputs: { pending_scim_groups: { value: ['new-team'] } } },
      prior_state: {
        values: {
          root_module: {
            resources: [
              { mode: 'data', type: 'okta_users', values: { users: [{ id: '00u1', login: 'a@example.com' }] } },
              { mode: 'managed', type: 'okta_group', values: { id: '00g1', name: 'team' } },
            ],
            child_modules: [{ resources: [{ mode: 'managed', type: 'okta_group', values: { id: '00g2', name: null } }], child_modules: [] }],
          },
        },
      },
    });
  });

  it('masks what the *_sensitive masks mark, as redact-plan.jq did, and the whole value where the mask does not fit it', () => {
    expect(maskSensitive({ a: 's', b: null, c: [1, 2, { d: 's' }], e: 'kept' }, { a: true, b: true, c: [false, true, { d: true }] })).toEqual({ a: SENSITIVE, b: null, c: [1, SENSITIVE, { d: SENSITIVE }], e: 'kept' });
    expect(maskSensitive({ a: 's' }, true)).toBe(SENSITIVE);
    expect(maskSensitive(null, true)).toBeNull();
    expect(maskSensitive({ a: 's' }, false)).toEqual({ a: 's' });
    expect(maskSensitive({ a: 's' }, undefined)).toEqual({ a: 's' });
    expect(maskSensitive({ a: 's' }, { a: false, b: true })).toEqual({ a: 's' });
    expect(maskSensitive({ a: 's' }, { a: { b: true } })).toEqual({ a: SENSITIVE });
    expect(maskSensitive({ a: { b: 's' } }, { a: [true] })).toEqual({ a: SENSITIVE });
    expect(maskSensitive({ a: { b: 's' } }, { a: [false] })).toEqual({ a: { b: 's' } });
    expect(maskSensitive(['x', 'y'], [true])).toEqual([SENSITIVE, 'y']);
  });

  it('keeps after_unknown as booleans only and an import as a bare mark, so removalsOnly survives redaction', () => {
    const change = (c: Doc): Doc => (redactPlan({ format_version: '1.2', resource_changes: [managed('okta_group_memberships', 'team', { actions: ['update'], before: { users: ['00u1'] }, after: {}, ...c })] }) as Doc).resource_changes[0].change;
    expect(change({ after_unknown: { users: true, id: false, list: [false, true], nested: { k: { deep: true } } } }).after_unknown).toEqual({ users: true, id: false, list: [false, true], nested: { k: { deep: true } } });
    // Anything but booleans becomes true (unknown): no value is copied, and nothing reads as known that was not.
    expect(change({ after_unknown: { a: SECRET, b: 1, c: null } }).after_unknown).toEqual({ a: true, b: true, c: true });
    // What the sensitivity mask marks is unknown as well (its shape may name secret map keys).
    expect(change({ after_unknown: { secret_map: { [SECRET]: true } }, after_sensitive: { secret_map: true } }).after_unknown).toEqual({ secret_map: true });
    expect(change({ after_unknown: undefined })).not.toHaveProperty('after_unknown');
    expect(change({ importing: { id: SECRET, generated_config: SECRET } }).importing).toEqual({});
    expect(change({})).not.toHaveProperty('importing');
  });

  it('is idempotent: a redacted plan redacts to itself', () => {
    const once = redactPlan(plantedOktaPlan());
    expect(redactPlan(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('refuses what is not a plan, without quoting it', () => {
    const refused = (doc: unknown): string => {
      try {
        redactPlan(doc);
      } catch (e) {
        expect(e).toBeInstanceOf(PlanFormatError);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(null)).toBe('not a Terraform plan: expected a JSON object');
    expect(refused([{ format_version: '1.2' }])).toBe('not a Terraform plan: expected a JSON object');
    expect(refused({ version: 4, resources: [] })).toBe('not a Terraform plan: no format_version (give the output of terraform show -json PLANFILE, not the state or the text plan)');
    expect(refused({ format_version: '2.0', resource_changes: [] })).toBe('plan format_version 2.0 is not supported: accessctl reads format 1.x');
    expect(refused({ format_version: '1.2', resource_changes: { token: SECRET } })).toBe('not a Terraform plan: resource_changes must be a list');
    expect(refused({ format_version: '1.2', resource_changes: [{ address: 'a', type: 't', change: { actions: [] } }, { address: SECRET, change: {} }] })).toBe(
      'not a Terraform plan: resource_changes[1] has no address, type or change.actions',
    );
  });
});

describe('accessctl redact-plan', () => {
  afterEach(() => jest.restoreAllMocks());

  it('leaves plan-summary saying exactly the same, in text, markdown and JSON', async () => {
    const root = tempRepo(ORG);
    const files = { 'okta.json': plantedOktaPlan(), 'aws.json': fixture('aws-revoke-and-grant.json') };
    for (const [name, doc] of Object.entries(files)) fs.writeFileSync(path.join(root, name), JSON.stringify(doc));
    const summaries = async (): Promise<unknown[]> => {
      const out = [];
      for (const format of ['text', 'markdown', 'json']) out.push(await run(['plan-summary', 'okta.json', 'aws.json', '--format', format], root));
      return out;
    };
    const before = await summaries();
    for (const name of Object.keys(files)) expect(await run(['redact-plan', name, '--out', name], root)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(root, 'okta.json'), 'utf8')).not.toContain(SECRET);
    expect(await summaries()).toEqual(before);
    // What it says rests on every part kept: users' logins and groups' names (prior state), before and after values, the output.
    const text = (before[0] as { stdout: string }).stdout;
    for (const words of ['new@example.com joins team', 'dev@example.com leaves team', 'group team-old is renamed to team', '1 unassigned (old-team)', 'SCIM provisioning of the aws app changes', 'waiting for the SCIM push: new-team', 'old-team loses ReadOnly on prod']) expect(text).toContain(words);
  });

  it('leaves removalsOnly as it was: a known member removal true, users unknown after the apply false', async () => {
    const root = tempRepo(ORG);
    const members = (after: Doc, afterUnknown: Doc): Doc => ({
      format_version: '1.2',
      resource_changes: [managed('okta_group_memberships', 'team', { actions: ['update'], before: { group_id: '00g1', users: ['00u1lead', '00u2dev'] }, after: { group_id: '00g1', ...after }, after_unknown: afterUnknown })],
    });
    const files = { 'removal.json': members({ users: ['00u1lead'] }, {}), 'unknown.json': members({}, { users: true }) };
    const verdict = async (name: string): Promise<[number, boolean]> => {
      const r = await run(['plan-summary', name, '--removals-only', '--format', 'json'], root);
      return [r.code, JSON.parse(r.stdout).removalsOnly];
    };
    for (const [name, doc] of Object.entries(files)) fs.writeFileSync(path.join(root, name), JSON.stringify(doc));
    const before = [await verdict('removal.json'), await verdict('unknown.json')];
    expect(before).toEqual([[0, true], [3, false]]);
    for (const name of Object.keys(files)) expect((await run(['redact-plan', name, '--out', name], root)).code).toBe(0);
    expect([await verdict('removal.json'), await verdict('unknown.json')]).toEqual(before);
  });

  it('prints the JSON indented by two spaces with a final newline, or writes it to --out; - reads stdin', async () => {
    const root = tempRepo(ORG);
    const plan = fixture('okta-members.json');
    fs.writeFileSync(path.join(root, 'plan.json'), JSON.stringify(plan));
    const printed = await run(['redact-plan', 'plan.json'], root);
    expect(printed).toEqual({ code: 0, stdout: `${JSON.stringify(redactPlan(plan), null, 2)}\n`, stderr: '' });
    expect(await run(['redact-plan', 'plan.json', '--out', 'out/redacted.json'], root)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(root, 'out/redacted.json'), 'utf8')).toBe(printed.stdout);
    expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['redacted.json']);

    const real = fs.readFileSync;
    jest.spyOn(jest.requireActual<typeof fs>('node:fs'), 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => (file === 0 ? JSON.stringify(plan) : real(file, options as BufferEncoding))) as typeof fs.readFileSync);
    expect(await run(['redact-plan', '-'], root)).toEqual(printed);
  });

  it('exits 1 with one line naming the file on what is not a plan, and writes nothing', async () => {
    const root = tempRepo(ORG);
    const write = (name: string, text: string): void => fs.writeFileSync(path.join(root, name), text);
    write('broken.json', `{"format_version": "1.2", "variables": {"t": {"value": "${SECRET}"}`);
    write('state.json', JSON.stringify({ version: 4, resources: [] }));
    write('list.json', JSON.stringify({ format_version: '1.2', resource_changes: {} }));
    const cases: Array<[string, string]> = [
      ['broken.json', 'broken.json: not JSON: give the output of terraform show -json PLANFILE\n'],
      ['state.json', 'state.json: not a Terraform plan: no format_version (give the output of terraform show -json PLANFILE, not the state or the text plan)\n'],
      ['list.json', 'list.json: not a Terraform plan: resource_changes must be a list\n'],
      ['missing.json', 'missing.json: cannot read the file: ENOENT\n'],
    ];
    for (const [file, stderr] of cases) expect(await run(['redact-plan', file, '--out', 'out.json'], root)).toEqual({ code: 1, stdout: '', stderr });
    expect(fs.existsSync(path.join(root, 'out.json'))).toBe(false);
  });

  it('exits 2 on a usage error', async () => {
    const root = tempRepo(ORG);
    for (const args of [[], ['a.json', 'b.json'], ['a.json', '--output', 'x'], ['a.json', '--out']]) {
      const r = await run(['redact-plan', ...args], root);
      expect([r.code, r.stdout, r.stderr.split('\n').slice(-2)]).toEqual([2, '', ['Usage: accessctl redact-plan IN [--out OUT]', '']]);
    }
    expect((await run(['redact-plan', '--help'], root)).code).toBe(0);
  });
});
