// accessctl affected: the stacks a change touches, in a temporary git
// repository with the AWS stack sharded by environment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE, run, tempRepo } from '../support/helpers';
import { commitAll, initRepo } from '../support/git';

const SHARDED = {
  ...BASE,
  'settings.yaml': BASE['settings.yaml']!.replace('backend:', 'stacks:\n  aws:\n    shards:\n      - { name: prod, accounts: { tags: { env: prod } } }\nbackend:'),
};

const FILES = {
  'permission-sets/Deploy.yaml': 'name: Deploy\nmanagedPolicies: [PowerUserAccess]\n',
  'groups/devs.yaml': 'name: devs\nmode: authoritative\nowners: [a@example.com]\nmembers: [a@example.com, b@example.com]\napps: [aws]\naws:\n  - { permissionSet: Deploy, accounts: [dev] }\n',
  'groups/ops.yaml': 'name: ops\nmode: authoritative\nowners: [c@example.com]\nmembers: [c@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n',
};

function repo(): { root: string; commit: (files: Record<string, string | null>, message: string) => void } {
  const root = tempRepo(FILES, SHARDED);
  initRepo(root, 'base');
  return {
    root,
    commit: (files, message) => {
      for (const [rel, content] of Object.entries(files)) {
        const abs = path.join(root, 'access', rel);
        if (content === null) fs.rmSync(abs);
        else fs.writeFileSync(abs, content);
      }
      commitAll(root, message);
    },
  };
}

async function stacks(root: string, ...extra: string[]): Promise<{ stacks: string[]; all: string[]; removed: string[]; reasons: Record<string, string> }> {
  const r = await run(['affected', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json', ...extra], root);
  expect(r.stderr + r.code).toBe('0');
  const out = JSON.parse(r.stdout) as { stacks: string[]; all: string[]; removed: string[]; reasons: Record<string, string> };
  return out;
}

describe('accessctl affected', () => {
  it('a new member touches the okta stack only', async () => {
    const { root, commit } = repo();
    commit({ 'groups/devs.yaml': FILES['groups/devs.yaml'].replace('b@example.com]', 'b@example.com, d@example.com]') }, 'member');
    expect(await stacks(root)).toEqual({ base: expect.any(String), stacks: ['okta'], all: ['okta', 'aws', 'aws-prod'], removed: [], reasons: { okta: 'its configuration changes' } });
  });

  it('SCIM as code adds the okta-scim stack and user provisioning to okta; a new token day touches okta-scim alone', async () => {
    const { root, commit } = repo();
    const scim = (day: string): string => SHARDED['settings.yaml']!.replace('      mfa: required\n', `      mfa: required\n      scim:\n        baseUrl: https://scim.us-east-1.amazonaws.com/abc/scim/v2\n        tokenIssued: ${day}\n`);
    commit({ 'settings.yaml': scim('2026-11-02') }, 'scim as code');
    expect(await stacks(root)).toEqual({
      base: expect.any(String), stacks: ['okta', 'okta-scim'], all: ['okta', 'okta-scim', 'aws', 'aws-prod'], removed: [],
      reasons: { okta: 'its configuration changes', 'okta-scim': 'new stack' },
    });
    commit({ 'settings.yaml': scim('2026-12-01') }, 'rotate the token');
    expect((await stacks(root)).stacks).toEqual(['okta-scim']);
  });

  it('a grant on a production account touches the prod shard only; one on dev the aws stack only', async () => {
    const { root, commit } = repo();
    commit({ 'groups/ops.yaml': FILES['groups/ops.yaml'].replace('accounts: [prod] }', 'accounts: [prod] }\n  - { permissionSet: Deploy, accounts: [prod] }') }, 'prod grant');
    expect((await stacks(root)).stacks).toEqual(['aws-prod']);
    commit({ 'groups/devs.yaml': FILES['groups/devs.yaml'].replace('accounts: [dev] }', 'accounts: [dev] }\n  - { permissionSet: ReadOnly, accounts: [dev] }') }, 'dev grant');
    expect((await stacks(root)).stacks).toEqual(['aws']);
  });

  it('a permission set change touches the aws stack that holds permission sets', async () => {
    const { root, commit } = repo();
    commit({ 'permission-sets/Deploy.yaml': 'name: Deploy\nsessionDuration: PT2H\nmanagedPolicies: [PowerUserAccess]\n' }, 'session');
    expect((await stacks(root)).stacks).toEqual(['aws']);
  });

  it('a group rename touches okta (moved blocks) and every AWS stack holding its assignments', async () => {
    const { root, commit } = repo();
    commit({ 'groups/ops.yaml': null, 'groups/operations.yaml': FILES['groups/ops.yaml'].replace('name: ops', 'name: operations') }, 'rename');
    expect((await stacks(root)).stacks).toEqual(['okta', 'aws-prod']);
  });

  it('a backend change touches every stack; no change touches none', async () => {
    const { root, commit } = repo();
    commit({ 'people.yaml': 'people:\n  - { login: a@example.com, github: a }\n  - { login: c@example.com, github: c }\n' }, 'people only');
    expect((await stacks(root)).stacks).toEqual([]);
    const text = await run(['affected', '--base', 'HEAD~1', '--head', 'HEAD'], root);
    expect(text.stdout).toBe('no stack changes between HEAD~1 and HEAD\n');
    commit({ 'settings.yaml': SHARDED['settings.yaml']!.replace('backend: { type: local }', 'backend: { type: s3, bucket: acme-tf-state, region: eu-west-1, keyPrefix: accessctl/ }') }, 'backend');
    const r = await stacks(root);
    expect(r.stacks).toEqual(['okta', 'aws', 'aws-prod']);
    expect(r.reasons['aws-prod']).toBe('the backend settings changed');
  });

  it('a removed shard is reported, and an unknown ref is a usage error', async () => {
    const { root, commit } = repo();
    commit({ 'settings.yaml': BASE['settings.yaml']! }, 'unshard');
    const r = await run(['affected', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], root);
    expect(JSON.parse(r.stdout)).toMatchObject({ stacks: ['aws'], all: ['okta', 'aws'], removed: ['aws-prod'] });
    expect(r.stderr).toBe('warning: the stack aws-prod is gone at the head; its resources stay in its state until it is destroyed or moved by hand (docs/scale.md)\n');
    const bad = await run(['affected', '--base', 'no-such-ref'], root);
    expect(bad.code).toBe(2);
  });
});
