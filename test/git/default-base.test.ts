// The base plan, diff and affected compare with when no --base is given, in
// every shape of repository a person or CI runs them in (src/git/default-base.ts),
// and how a git failure is reported: as ACC060 without a file position, exit 2.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

function git(cwd: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Test', email: 'test@example.com' }).trim();
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-base-'));
}

const TEAM = 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com]\napps: [aws]\naws:\n  - { permissionSet: Deploy, accounts: [dev] }\n';
const deploy = (duration: string): string => `name: Deploy\nsessionDuration: ${duration}\nmanagedPolicies: [PowerUserAccess]\n`;
const AUDIT = 'name: Audit\nmanagedPolicies: [SecurityAudit]\n';

function write(root: string, rel: string, text: string): void {
  fs.writeFileSync(path.join(root, 'access', rel), text);
}

/**
 * A repository with main at C2 ("the Audit permission set") on top of C1 ("the
 * team"), and feature off C1 at F1, which changes Deploy's session. Compared
 * with C1, the feature changes one permission set; compared with main's tip it
 * would also lose Audit, so a wrong base shows in the diff.
 */
function history(defaultBranch = 'main'): { root: string; c1: string; c2: string; f1: string } {
  const root = tempRepo({ 'groups/team.yaml': TEAM, 'permission-sets/Deploy.yaml': deploy('PT1H') });
  git(root, 'init', '-q', '-b', defaultBranch);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'the team');
  const c1 = git(root, 'rev-parse', 'HEAD');
  write(root, 'permission-sets/Audit.yaml', AUDIT);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'the Audit permission set');
  const c2 = git(root, 'rev-parse', 'HEAD');
  git(root, 'checkout', '-q', '-b', 'feature', c1);
  write(root, 'permission-sets/Deploy.yaml', deploy('PT2H'));
  git(root, 'commit', '-qam', 'longer Deploy sessions');
  const f1 = git(root, 'rev-parse', 'HEAD');
  git(root, 'checkout', '-q', defaultBranch);
  return { root, c1, c2, f1 };
}

/** The history as a bare repository on disk (its HEAD names the default branch), to clone from. */
function bare(defaultBranch = 'main'): { url: string; c1: string; c2: string; f1: string } {
  const h = history(defaultBranch);
  const dir = path.join(tempDir(), 'access.git');
  git(h.root, 'clone', '-q', '--bare', h.root, dir);
  return { url: `file://${dir}`, c1: h.c1, c2: h.c2, f1: h.f1 };
}

function clone(url: string, ...options: string[]): string {
  const root = path.join(tempDir(), 'clone');
  git(os.tmpdir(), 'clone', '-q', ...options, url, root);
  return root;
}

/** A commit on a feature branch of its own, as a person makes before running npm start. */
function commitOnFeature(root: string, start: string): void {
  git(root, 'checkout', '-q', '-b', 'my-change', start);
  write(root, 'permission-sets/Deploy.yaml', deploy('PT2H'));
  git(root, 'commit', '-qam', 'longer Deploy sessions');
}

const short = (commit: string): string => commit.slice(0, 12);
const NO_RENAMES = ', no renames';

interface Outcome {
  plan: { code: number; base: string };
  diff: { code: number; first: string };
  affected: { code: number; stderr: string; stdout: string };
}

/** plan, diff and affected without --base: exit codes and the line each prints about its base. */
async function outcome(root: string): Promise<Outcome> {
  const out = path.join(tempDir(), 'out');
  const plan = await run(['plan', '--out', out], root);
  const diff = await run(['diff'], root);
  const affected = await run(['affected'], root);
  return {
    plan: { code: plan.code, base: plan.stdout.split('\n').filter((l) => l.startsWith('base: ') || l.startsWith('  hint: ')).join('\n') || plan.stderr },
    diff: { code: diff.code, first: diff.code === 0 ? diff.stdout.split('\n')[0]! : diff.stderr },
    affected: { code: affected.code, stderr: affected.stderr, stdout: affected.stdout },
  };
}

/** What the three commands print when the base is `label` at `commit` and the head changes one permission set (nothing else). */
function comparedWith(label: string, commit: string): Outcome {
  return {
    plan: { code: 0, base: `base: ${label} (${short(commit)})${NO_RENAMES}` },
    diff: { code: 0, first: `access diff ${label} (${short(commit)}) -> working tree: +0 / -0 access, 1 change` },
    affected: { code: 0, stderr: `base: ${label} (${short(commit)})\n`, stdout: 'aws\tits configuration changes\n' },
  };
}

const UNSHALLOW = 'run git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)';

/** What the three commands print when there is no base, for `why`: plan goes on without one, diff and affected stop. */
function noBase(why: string, hint?: string): Outcome {
  const usage = (command: string): string =>
    `accessctl ${command}: no base revision: ${why}; ${hint ? `${hint}, or ` : ''}pass --base REF\n\nUsage: accessctl ${command} [--base REF] [--head REF] [--${command === 'diff' ? 'dir DIR] [--format text|markdown|json]' : 'format text|json] [--dir DIR]'}\n`;
  return {
    plan: { code: 0, base: `base: none (${why}: renames are not detected and every group must already exist in AWS)${hint ? `\n  hint: ${hint}, or pass --base REF` : ''}` },
    diff: { code: 2, first: usage('diff') },
    affected: { code: 2, stderr: usage('affected'), stdout: '' },
  };
}

describe('the default base of plan, diff and affected', () => {
  it('a feature branch with commits, cloned from a remote named origin: the merge base with origin/main', async () => {
    const remote = bare();
    const root = clone(remote.url);
    commitOnFeature(root, 'origin/main~1');
    expect(await outcome(root)).toEqual(comparedWith('merge-base(HEAD, origin/main)', remote.c1));
  });

  it("a remote with another name: the branch its HEAD names (refs/remotes/upstream/HEAD), whatever the branch's name", async () => {
    const remote = bare('trunk');
    const root = clone(remote.url, '--origin', 'upstream');
    expect(git(root, 'symbolic-ref', 'refs/remotes/upstream/HEAD')).toBe('refs/remotes/upstream/trunk');
    commitOnFeature(root, 'upstream/trunk~1');
    expect(await outcome(root)).toEqual(comparedWith('merge-base(HEAD, upstream/trunk)', remote.c1));
  });

  it('a remote added by hand, with no HEAD recorded: upstream/main', async () => {
    const remote = bare();
    const root = tempDir();
    git(root, 'init', '-q');
    git(root, 'remote', 'add', 'upstream', remote.url);
    git(root, 'fetch', '-q', 'upstream');
    git(root, 'checkout', '-q', '-b', 'my-change', 'upstream/feature');
    expect(await outcome(root)).toEqual(comparedWith('merge-base(HEAD, upstream/main)', remote.c1));
  });

  it('a detached HEAD on a feature commit: the merge base with the default branch', async () => {
    const remote = bare();
    const root = clone(remote.url);
    git(root, 'checkout', '-q', '--detach', 'origin/feature');
    expect(await outcome(root)).toEqual(comparedWith('merge-base(HEAD, origin/main)', remote.c1));
  });

  it('no remote at all: the merge base with the local main', async () => {
    const { root, c1 } = history();
    git(root, 'checkout', '-q', 'feature');
    expect(await outcome(root)).toEqual(comparedWith('merge-base(HEAD, main)', c1));
  });

  it('no remote and no main or master: none, and diff and affected ask for --base', async () => {
    const { root } = history('trunk');
    git(root, 'checkout', '-q', 'feature');
    expect(await outcome(root)).toEqual(noBase('no default branch to compare with (looked for main, master)'));
  });

  it('the default branch itself: the commit before HEAD, or HEAD while access/ has uncommitted edits', async () => {
    const remote = bare();
    const root = clone(remote.url);
    // Clean: C1 against C2, which adds Audit.
    expect(await outcome(root)).toEqual(comparedWith('HEAD^1', remote.c1));
    // Edited: C2 against the edit of Deploy.
    write(root, 'permission-sets/Deploy.yaml', deploy('PT2H'));
    expect(await outcome(root)).toEqual(comparedWith('HEAD', remote.c2));
  });

  it('the first commit of the default branch: none', async () => {
    const root = tempRepo({ 'groups/team.yaml': TEAM, 'permission-sets/Deploy.yaml': deploy('PT1H') });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'the team');
    expect(await outcome(root)).toEqual(noBase('HEAD is the first commit of main, with nothing before it'));
  });

  it('a shallow clone of the default branch: none, saying the clone is shallow', async () => {
    const remote = bare();
    const root = clone(remote.url, '--depth', '1');
    expect(await outcome(root)).toEqual(noBase('this is a shallow clone, and the commit before HEAD is not in it', UNSHALLOW));
  });

  it('a shallow clone of a feature branch: none, saying the merge base is not in it', async () => {
    const remote = bare();
    const root = clone(remote.url, '--depth', '1', '--no-single-branch', '--branch', 'feature');
    expect(await outcome(root)).toEqual(noBase('this is a shallow clone, and the merge base of HEAD and origin/main is not in it', UNSHALLOW));
  });
});

describe('a git failure', () => {
  it('is ACC060 with git\'s own message, no file position, exit 2, the same in plan, diff and affected', async () => {
    const { root, c1 } = history();
    git(root, 'checkout', '-q', 'feature');
    // The base's access/ tree is lost: git can find the merge base but not read the files there.
    const tree = git(root, 'rev-parse', `${c1}:access`);
    fs.rmSync(path.join(root, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    const message = `error ACC060 cannot read access at merge-base(HEAD, main) (${short(c1)}): git ls-tree: error: Could not read ${tree}\n`;
    const out = path.join(tempDir(), 'out');
    for (const argv of [['plan', '--out', out], ['diff'], ['affected']]) {
      const r = await run(argv, root);
      expect([argv[0], r.code, r.stderr, r.stdout]).toEqual([argv[0], 2, `accessctl ${argv[0]}: ${message}`, '']);
    }
  });

  it('an unknown --base is the same failure', async () => {
    const { root } = history();
    const out = path.join(tempDir(), 'out');
    for (const argv of [['plan', '--out', out], ['synth', '--out', out], ['diff'], ['affected']]) {
      const r = await run([...argv, '--base', 'nosuchref'], root);
      expect([argv[0], r.code, r.stderr, r.stdout]).toEqual([argv[0], 2, `accessctl ${argv[0]}: error ACC060 "nosuchref" is not a commit in this repository\n`, '']);
    }
  });
});
