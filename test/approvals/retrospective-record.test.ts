// accessctl retrospective --applied: the break-glass grants come from the
// history up to the apply record's okta commit, not from push events. A real
// git repository (the example org, commits with fixed dates) and recorded
// GitHub responses (the issues already open, the pull request of each commit).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startReplay, type Replay } from '../support/github-replay';
import { run } from '../support/helpers';
import { git } from '../support/git';
import { BOT, ERIN, grantErin, grantIvan, issue, IVAN, LISTING, marker, NOW, PAYMENTS, recording, REPO, repo, unrelated, writeRecord } from '../support/retrospective-repo';

async function retrospective(root: string, replay: Replay | undefined, extra: string[] = [], now = NOW) {
  const r = await run(['retrospective', '--applied', 'applied.json', '--repo', REPO, ...extra], root, now, replay ? { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 't' } : {});
  return { ...r, out: r.stdout === '' ? undefined : JSON.parse(r.stdout) };
}

const grantsOf = (out: { issues: Array<{ group: string; user: string; commit: string }> }): string[] => out.issues.map((i) => `${i.group} ${i.user} ${i.commit}`);

describe('accessctl retrospective --applied', () => {
  let replay: Replay | undefined;
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
  });

  it('(1) opens the grant of a [skip ci] merge that a later commit carried into the apply', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass #40: ipetrov to aws-payments-admins (#43) [skip ci]', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    const c2 = r0.commit('Describe the sandbox (#44)', '2026-11-23T10:30:00Z', unrelated('The shared sandbox'));
    writeRecord(r0.root, c2);
    replay = await startReplay(recording([], { [c1]: [43] }));
    const r = await retrospective(r0.root, replay);
    expect(r.code).toBe(0);
    expect(replay.unrecorded).toEqual([]);
    expect(r.out.applied).toBe(c2);
    expect(grantsOf(r.out)).toEqual([`aws-payments-admins ${IVAN} ${c1}`]);
    const [i] = r.out.issues;
    expect(i).toMatchObject({ title: `Break-glass retrospective: ${IVAN} in aws-payments-admins until 2026-11-23T14:00Z`, labels: ['break-glass', 'retrospective'], assignees: ['csmith', 'hschmidt'], expires: '2026-11-23T14:00Z' });
    expect(i.body.split('\n').slice(0, 15)).toEqual([
      marker('aws-payments-admins', IVAN, c1),
      `## Break-glass: ${IVAN} in aws-payments-admins`,
      '',
      '| | |',
      '| --- | --- |',
      `| who | ${IVAN} (\`@ipetrov\`) |`,
      '| group | aws-payments-admins |',
      '| AWS access | AdministratorAccess on payments-prod (123456789012); PowerUser on payments-staging (234567890123) |',
      '| until | 2026-11-23T14:00Z (UTC) |',
      '| reason | INC-6001 payments outage |',
      `| commit | \`${c1}\` |`,
      '| pull request | #43 |',
      '| approved by | `@bmartin` |',
      '| merged by | `@anguyen` |',
      '',
    ]);
    expect(replay.requests.slice(0, 2)).toEqual([`GET /repos/${REPO}/issues?per_page=100&state=all&labels=retrospective`, 'GET /orgs/northwind/teams/security/members?per_page=100']);
  });

  it('(2) leaves a grant after the record\'s okta commit for the run after its apply', async () => {
    const r0 = repo();
    const c1 = r0.commit('Describe the sandbox (#44)', '2026-11-23T10:00:00Z', unrelated('The shared sandbox'));
    const c2 = r0.commit('Break-glass (#45)', '2026-11-23T10:30:00Z', grantIvan('2026-11-23T14:00Z'));
    writeRecord(r0.root, c1);
    replay = await startReplay(recording([], { [c2]: [] }));
    const before = await retrospective(r0.root, replay);
    expect([before.code, before.out.applied, before.out.issues]).toEqual([0, c1, []]);
    expect(replay.requests).toEqual([]);
    writeRecord(r0.root, c2);
    const after = await retrospective(r0.root, replay);
    expect(after.code).toBe(0);
    expect(grantsOf(after.out)).toEqual([`aws-payments-admins ${IVAN} ${c2}`]);
    expect(after.out.issues[0].body).toContain(`| pull request | none: ${c2.slice(0, 12)} was pushed without a pull request |\n`);
  });

  it('(3) does not open a grant again that has a bot issue with its marker; an issue by anyone else does not count', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    const c2 = r0.commit('Break-glass erin (#46)', '2026-11-23T10:30:00Z', grantErin('2026-11-23T13:30Z'));
    writeRecord(r0.root, c2);
    const title = (user: string, group: string, until: string): string => `Break-glass retrospective: ${user} in ${group} until ${until}`;
    replay = await startReplay(recording([
      issue(50, BOT, title(IVAN, 'aws-payments-admins', '2026-11-23T14:00Z'), `${marker('aws-payments-admins', IVAN, c1)}\n## Break-glass: …\n`, '2026-11-23T11:47:12Z'),
      issue(51, { login: 'mallory', type: 'User' }, 'Break-glass retrospective: nothing to see', `${marker('aws-platform-admins', ERIN, c2)}\n`, '2026-11-23T10:31:00Z'),
    ], { [c2]: [] }));
    const r = await retrospective(r0.root, replay);
    expect(r.code).toBe(0);
    expect(replay.unrecorded).toEqual([]);
    expect(grantsOf(r.out)).toEqual([`aws-platform-admins ${ERIN} ${c2}`]);
    expect(r.out.opened).toEqual([{ group: 'aws-payments-admins', user: IVAN, commit: c1, issue: 50 }]);
    expect(r.stderr).toContain(`retrospective: ${IVAN} in aws-payments-admins (${c1.slice(0, 12)}) already has issue #50\n`);
  });

  it('(4) opens both grants of two commits made between two runs, oldest first, each with its own pull request', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    const c2 = r0.commit('Break-glass erin, pushed', '2026-11-23T10:30:00Z', grantErin('2026-11-23T13:30Z'));
    writeRecord(r0.root, c2);
    replay = await startReplay(recording([], { [c1]: [43], [c2]: [] }));
    const r = await retrospective(r0.root, replay);
    expect(r.code).toBe(0);
    expect(replay.unrecorded).toEqual([]);
    expect(grantsOf(r.out)).toEqual([`aws-payments-admins ${IVAN} ${c1}`, `aws-platform-admins ${ERIN} ${c2}`]);
    expect(r.out.issues.map((i: { body: string }) => i.body.split('\n')[0])).toEqual([marker('aws-payments-admins', IVAN, c1), marker('aws-platform-admins', ERIN, c2)]);
    expect(r.out.issues[0].body).toContain('| pull request | #43 |\n');
    expect(r.out.issues[1].body).toContain(`| pull request | none: ${c2.slice(0, 12)} was pushed without a pull request |\n`);
    expect(r.out.issues[1].body).toContain('| approved by | **nobody** (no pull request) |\n');
  });

  it('judges each commit at its own time: a lapsed entry a later commit carries is not granted again; granting it anew is', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    r0.commit('Describe the sandbox (#44)', '2026-11-23T15:00:00Z', unrelated('The shared sandbox'));
    const c3 = r0.commit('Break-glass ivan again (#47)', '2026-11-23T16:00:00Z', (access) => {
      const file = path.join(access, PAYMENTS);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('expires: 2026-11-23T14:00Z', 'expires: 2026-11-23T18:00Z'));
    });
    writeRecord(r0.root, c3);
    replay = await startReplay(recording([], { [c1]: [43], [c3]: [] }));
    // Run the next day, long after both ended.
    const r = await retrospective(r0.root, replay, [], '2026-11-24T12:00:00Z');
    expect(r.code).toBe(0);
    expect(grantsOf(r.out)).toEqual([`aws-payments-admins ${IVAN} ${c1}`, `aws-payments-admins ${IVAN} ${c3}`]);
    expect(r.out.issues.map((i: { expires: string }) => i.expires)).toEqual(['2026-11-23T14:00Z', '2026-11-23T18:00Z']);
    expect(r.out.issues[0].body).toContain('| AWS access | AdministratorAccess on payments-prod (123456789012); PowerUser on payments-staging (234567890123) |\n');
  });

  it('looks back --since (30 days by default); a commit dated back counts as made after its parent, for the window and for what had lapsed', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-10-01T10:00:00Z', grantIvan('2026-10-01T14:00Z'));
    r0.commit('Describe the sandbox (#44)', '2026-11-22T10:00:00Z', unrelated('The shared sandbox'));
    // Pushed after that commit of 2026-11-22, with committer dates from 2020: they cannot be older than their parent.
    const c2 = r0.commit('Break-glass erin, dated back', '2020-01-01T00:00:00Z', grantErin('2026-11-23T13:30Z'));
    // Ivan's lapsed entry given a new end: a grant, though on 2020-01-01 the old end was still ahead.
    const c3 = r0.commit('Break-glass ivan again, dated back', '2020-01-01T00:00:00Z', (access) => {
      const file = path.join(access, PAYMENTS);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('expires: 2026-10-01T14:00Z', 'expires: 2026-11-23T18:00Z'));
    });
    writeRecord(r0.root, c3);
    replay = await startReplay(recording([], { [c1]: [43], [c2]: [], [c3]: [] }));
    const recent = await retrospective(r0.root, replay);
    expect(recent.code).toBe(0);
    expect(recent.out.since).toBe('2026-10-24T12:00:00Z');
    expect(grantsOf(recent.out)).toEqual([`aws-platform-admins ${ERIN} ${c2}`, `aws-payments-admins ${IVAN} ${c3}`]);
    const wider = await retrospective(r0.root, replay, ['--since', '2026-09-30']);
    expect(grantsOf(wider.out)).toEqual([`aws-payments-admins ${IVAN} ${c1}`, `aws-platform-admins ${ERIN} ${c2}`, `aws-payments-admins ${IVAN} ${c3}`]);
  });

  it('counts only bot issues created after the grant\'s parent commit, and legacy bot issues by their title', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    const c2 = r0.commit('Break-glass erin (#46)', '2026-11-23T10:30:00Z', grantErin('2026-11-23T13:30Z'));
    writeRecord(r0.root, c2);
    replay = await startReplay(recording([
      // Opened by the push-triggered workflow before markers: same title, by the bot.
      issue(60, BOT, `Break-glass retrospective: ${IVAN} in aws-payments-admins until 2026-11-23T14:00Z`, `## Break-glass: ${IVAN} in aws-payments-admins\n`, '2026-11-23T10:04:00Z'),
      // An old bot issue whose body was edited to name erin's grant: older than c2's parent, so about something else.
      issue(61, BOT, 'Break-glass retrospective: someone in aws-platform-admins until 2026-11-01T12:00Z', `${marker('aws-platform-admins', ERIN, c2)}\n`, '2026-11-01T10:00:00Z'),
      // A pull request by the bot with the marker is not an issue.
      issue(62, BOT, 'Add erin', `${marker('aws-platform-admins', ERIN, c2)}\n`, '2026-11-23T11:00:00Z', { pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/62` } }),
      // The marker must start the body.
      issue(63, BOT, 'accessctl drift: okta', `The okta stack does not match main.\n${marker('aws-platform-admins', ERIN, c2)}\n`, '2026-11-23T11:00:00Z'),
    ], { [c2]: [] }));
    const r = await retrospective(r0.root, replay);
    expect(r.code).toBe(0);
    expect(grantsOf(r.out)).toEqual([`aws-platform-admins ${ERIN} ${c2}`]);
    expect(r.out.opened).toEqual([{ group: 'aws-payments-admins', user: IVAN, commit: c1, issue: 60 }]);
  });

  it('writes nothing and exits 2 when the issues cannot be listed, or no repository is named', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan (#43)', '2026-11-23T10:00:00Z', grantIvan('2026-11-23T14:00Z'));
    writeRecord(r0.root, c1);
    replay = await startReplay({ ...recording([], { [c1]: [43] }), [LISTING]: { status: 502, rawBody: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } } });
    const r = await retrospective(r0.root, replay);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(`retrospective: cannot list the issues labelled retrospective, so cannot tell which grants already have one; nothing written: GET /repos/${REPO}/issues?per_page=100&state=all&labels=retrospective: 502 `);
    const none = await run(['retrospective', '--applied', 'applied.json'], r0.root, NOW);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('no repository (--repo or GITHUB_REPOSITORY): cannot tell which grants already have their issue');
  });

  it('follows the first parent: a grant merged with a merge commit is the merge\'s; exits 2 for a commit the clone lacks or a missing record', async () => {
    const r0 = repo();
    const g = (args: string[], date: string): string => git(r0.root, args, { date }).trim();
    g(['checkout', '-q', '-b', 'break-glass/issue-40'], '2026-11-23T09:00:00Z');
    const side = r0.commit('ivan to aws-payments-admins', '2026-11-23T09:30:00Z', grantIvan('2026-11-23T14:00Z'));
    g(['checkout', '-q', 'main'], '2026-11-23T09:40:00Z');
    r0.commit('Describe the sandbox (#44)', '2026-11-23T09:45:00Z', unrelated('The shared sandbox'));
    g(['merge', '-q', '--no-ff', '--no-edit', '-m', 'Merge pull request #43 from northwind/break-glass/issue-40', 'break-glass/issue-40'], '2026-11-23T10:00:00Z');
    const merge = g(['rev-parse', 'HEAD'], NOW);
    writeRecord(r0.root, merge);
    replay = await startReplay(recording([], { [merge]: [43] }));
    const r = await retrospective(r0.root, replay);
    expect(r.code).toBe(0);
    expect(grantsOf(r.out)).toEqual([`aws-payments-admins ${IVAN} ${merge}`]);
    expect(side).not.toBe(merge);

    writeRecord(r0.root, 'f'.repeat(40));
    const missing = await retrospective(r0.root, replay);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain(`error ACC060 "${'f'.repeat(40)}" is not a commit in this repository`);
    fs.rmSync(path.join(r0.root, 'applied.json'));
    const noRecord = await retrospective(r0.root, replay);
    expect([noRecord.code, noRecord.stdout]).toEqual([2, '']);
    expect(noRecord.stderr).toContain('retrospective: applied.json: the apply record cannot be read: ENOENT');
  });

  it('has nothing to open before anything was applied to Okta, and refuses --applied with --base', async () => {
    const r0 = repo();
    fs.writeFileSync(path.join(r0.root, 'applied.json'), JSON.stringify({ version: 1, stacks: {} }));
    const r = await retrospective(r0.root, undefined);
    expect([r.code, r.out.issues]).toEqual([0, []]);
    expect(r.stderr).toBe('retrospective: applied.json has no okta stack: nothing was applied to Okta, so no break-glass access was granted\n');
    const both = await run(['retrospective', '--applied', 'applied.json', '--base', 'main'], r0.root, NOW);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--base does not go with --applied: the grants come from the apply record');
  });
});
