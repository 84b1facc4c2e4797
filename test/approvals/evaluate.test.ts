// Whose approval counts, decided by evaluate() alone: the facts of a change to
// the example org, in memory, and the pull request's facts as literals. One row
// per reason an approval does not count (and the ones that look alike but do),
// each asserting every review's counted/reason and every requirement's met.
import { evaluate, teamsNeeded, type PullRequestFacts, type ReviewFact, type Verdict } from '../../src/approvals/evaluate';
import type { ChangeFacts } from '../../src/approvals/facts';
import { exampleFiles, factsOf as factsOfFiles, type Edits } from '../support/approvals-facts';

const NOW = '2026-11-23T12:00:00Z';
const HEAD = '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e';
const OLDER = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const UNLINKED = 'c0ffee1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const TEAMS = new Map([['@northwind/security', ['hschmidt', 'csmith']]]);


/**
 * The approval rules these rows are judged by, whatever the example org's policy.yaml says as it grows: the
 * rules on by default, and two distinct approvals for a high-privilege grant.
 */
const POLICY = `# yaml-language-server: $schema=../schemas/policy.schema.json
approvals:
  high-privilege-approvers: { count: 2 }
`;

const EXAMPLE: Record<string, string> = { ...exampleFiles(), 'policy.yaml': POLICY };


/** The facts of changing the example org by `edits`. */
const factsOf = (edits: Edits): ChangeFacts => factsOfFiles(EXAMPLE, edits, NOW);

/** frank.li (@fli) becomes a payments administrator: an owner (@dokafor), the security team and 2 distinct approvals. */
const ADMIN = { 'groups/aws-payments-admins.yaml': [['members:\n', 'members:\n  - user: frank.li@example.com\n    expires: 2026-12-20\n    reason: PAY-9 cover\n']] } satisfies Record<string, Array<[string, string]>>;
/** The same, with a person people.yaml did not have: zoe.quinn, @zq. */
const ADMIN_AND_NEW_HANDLE = { ...ADMIN, 'people.yaml': [['people:\n', 'people:\n  - { login: zoe.quinn@example.com, github: zq, name: Zoe Quinn }\n']] } satisfies Record<string, Array<[string, string]>>;
/** The same, with carol.smith's handle changed from @csmith to @carol-s. */
const ADMIN_AND_RENAMED_HANDLE = { ...ADMIN, 'people.yaml': [['github: csmith,', 'github: carol-s,']] } satisfies Record<string, Array<[string, string]>>;
/** heidi.schmidt joins the sandbox: its owner (@anguyen) approves, nobody else needs to. */
const SANDBOX = { 'groups/aws-sandbox-users.yaml': [['members:\n', 'members:\n  - heidi.schmidt@example.com\n']] } satisfies Record<string, Array<[string, string]>>;

const facts = {
  admin: factsOf(ADMIN),
  newHandle: factsOf(ADMIN_AND_NEW_HANDLE),
  renamedHandle: factsOf(ADMIN_AND_RENAMED_HANDLE),
  sandbox: factsOf(SANDBOX),
  nothing: factsOf({}),
};

/**
 * ADMIN, judged with a base whose people.yaml gives carol.smith a second handle, @carol-s: one revision's
 * people.yaml cannot (ACC036 and ACC034 refuse it), but evaluate() must count one person once whatever it is given.
 */
const twoHandles: ChangeFacts = (() => {
  const carol = facts.admin.base.people.find((p) => p.github === 'csmith')!;
  return { ...facts.admin, base: { ...facts.admin.base, people: [...facts.admin.base.people, { ...carol, login: 'Carol.Smith@Example.com', github: 'carol-s' }] } };
})();

const approve = (reviewer: string, commit = HEAD, state: ReviewFact['state'] = 'APPROVED', bot = false): ReviewFact => ({ reviewer, bot, state, commit });

/** A pull request by @ekowalski (who gains nothing here), pushed by her, with these reviews. */
function pr(reviews: ReviewFact[], over: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return { number: 42, headSha: HEAD, author: 'ekowalski', authorIsBot: false, requesters: [], pushers: ['ekowalski'], unknownPushers: [], reviews, ...over };
}

type ReviewRow = [reviewer: string, counted: boolean, reason: string | null];
type RequirementRow = [rule: string, met: boolean, approvedBy: string[]];

const shape = (v: Verdict): { met: boolean; reviews: ReviewRow[]; requirements: RequirementRow[] } => ({
  met: v.met,
  reviews: v.reviews.map((r) => [r.reviewer, r.counted, r.reason ?? null]),
  requirements: v.requirements.map((q) => [q.rule, q.met, [...q.approvedBy]]),
});

// Requirements of ADMIN when @dokafor (the owner) approves and another approval is refused.
const ADMIN_OWNER_ONLY: RequirementRow[] = [
  ['group-owners', true, ['dokafor']],
  ['security-team', false, []],
  ['high-privilege-approvers', false, ['dokafor']],
];

describe('whose approval counts (evaluate)', () => {
  it.each<[string, ChangeFacts, PullRequestFacts, boolean, ReviewRow[], RequirementRow[]]>([
    ['the counted baseline: an owner and a member of the security team', facts.admin,
      pr([approve('dokafor'), approve('csmith')]), true,
      [['csmith', true, null], ['dokafor', true, null]],
      [['group-owners', true, ['dokafor']], ['security-team', true, ['csmith']], ['high-privilege-approvers', true, ['csmith', 'dokafor']]]],

    ['a grantee', facts.admin,
      pr([approve('dokafor'), approve('fli')]), false,
      [['dokafor', true, null], ['fli', false, '@fli cannot approve a change that grants @fli access']],
      ADMIN_OWNER_ONLY],

    ['the requester (the request issue\'s author)', facts.admin,
      pr([approve('dokafor'), approve('csmith')], { requesters: [{ handle: 'csmith', issue: 41 }] }), false,
      [['csmith', false, '@csmith asked for this change (#41) and cannot approve it'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['the pull request\'s author', facts.admin,
      pr([approve('dokafor'), approve('csmith')], { author: 'csmith' }), false,
      [['csmith', false, '@csmith opened this pull request'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['a pusher', facts.admin,
      pr([approve('dokafor'), approve('csmith')], { pushers: ['ekowalski', 'csmith'] }), false,
      [['csmith', false, '@csmith pushed commits to this pull request and cannot approve it'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['a bot', facts.admin,
      pr([approve('dokafor'), approve('renovate[bot]', HEAD, 'APPROVED', true)]), false,
      [['dokafor', true, null], ['renovate[bot]', false, '@renovate[bot] is a bot']],
      ADMIN_OWNER_ONLY],

    ['an approval of an older commit', facts.admin,
      pr([approve('dokafor'), approve('csmith', OLDER)]), false,
      [['csmith', false, '@csmith approved an older commit (1a2b3c4); approve again'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['a dismissed review', facts.admin,
      pr([approve('dokafor'), approve('csmith', HEAD, 'DISMISSED')]), false,
      [['csmith', false, "@csmith's review was dismissed"], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['changes requested after an approval', facts.admin,
      pr([approve('dokafor'), approve('csmith'), approve('csmith', HEAD, 'CHANGES_REQUESTED')]), false,
      [['csmith', false, '@csmith requested changes'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['a handle in another case is the same person: @CSmith approves as csmith of people.yaml and the team', facts.admin,
      pr([approve('DOKAFOR'), approve('CSmith')]), true,
      [['CSmith', true, null], ['DOKAFOR', true, null]],
      [['group-owners', true, ['DOKAFOR']], ['security-team', true, ['CSmith']], ['high-privilege-approvers', true, ['CSmith', 'DOKAFOR']]]],

    ['a handle in another case is the same person: @CSmith pushed as csmith', facts.admin,
      pr([approve('dokafor'), approve('CSmith')], { pushers: ['ekowalski', 'csmith'] }), false,
      [['CSmith', false, '@CSmith pushed commits to this pull request and cannot approve it'], ['dokafor', true, null]],
      ADMIN_OWNER_ONLY],

    ['a reviewer not in people.yaml (a second account of the author\'s)', facts.admin,
      pr([approve('dokafor'), approve('ekowalski-alt')]), false,
      [['dokafor', true, null], ['ekowalski-alt', false, '@ekowalski-alt is not in people.yaml']],
      ADMIN_OWNER_ONLY],

    ['a reviewer whom only the change adds to people.yaml', facts.newHandle,
      pr([approve('dokafor'), approve('zq')]), false,
      [['dokafor', true, null], ['zq', false, '@zq is in people.yaml only through this change, which cannot name its own approvers']],
      [['group-owners', true, ['dokafor']], ['shared-files', false, []], ['security-team', false, []], ['high-privilege-approvers', false, ['dokafor']]]],

    ['a person under the handle the change gives them, and under the base\'s: counted once, as the base names them', facts.renamedHandle,
      pr([approve('dokafor'), approve('csmith'), approve('carol-s')]), true,
      [['carol-s', false, '@carol-s is in people.yaml only through this change, which cannot name its own approvers'], ['csmith', true, null], ['dokafor', true, null]],
      [['group-owners', true, ['dokafor']], ['shared-files', true, ['csmith']], ['security-team', true, ['csmith']], ['high-privilege-approvers', true, ['csmith', 'dokafor']]]],

    ['a person who opened the pull request under the handle the change gives them cannot approve under the base\'s', facts.renamedHandle,
      pr([approve('dokafor'), approve('csmith')], { author: 'carol-s' }), false,
      [['csmith', false, '@csmith opened this pull request as @carol-s'], ['dokafor', true, null]],
      [['group-owners', true, ['dokafor']], ['shared-files', false, []], ['security-team', false, []], ['high-privilege-approvers', false, ['dokafor']]]],

    ['two handles of one person count once', twoHandles,
      pr([approve('carol-s'), approve('csmith')]), false,
      [['carol-s', true, null], ['csmith', true, null]],
      [['group-owners', false, []], ['security-team', true, ['csmith']], ['high-privilege-approvers', false, ['carol-s']]]],

    ['an unknown pusher: the owner alone no longer suffices', facts.sandbox,
      pr([approve('anguyen')], { unknownPushers: [UNLINKED] }), false,
      [['anguyen', true, null]],
      [['group-owners', true, ['anguyen']], ['unknown-pusher', false, []]]],

    ['an unknown pusher: a member of the security team approves as well', facts.sandbox,
      pr([approve('anguyen'), approve('csmith')], { unknownPushers: [UNLINKED] }), true,
      [['anguyen', true, null], ['csmith', true, null]],
      [['group-owners', true, ['anguyen']], ['unknown-pusher', true, ['csmith']]]],

    ['an unknown pusher on a change that needs no approval otherwise', facts.nothing,
      pr([approve('anguyen')], { unknownPushers: [UNLINKED, HEAD] }), false,
      [['anguyen', true, null]],
      [['unknown-pusher', false, []]]],
  ])('%s', (_name, f, p, met, reviews, requirements) => {
    expect(shape(evaluate(f, p, TEAMS))).toEqual({ met, reviews, requirements });
  });
});

describe('an unknown pusher', () => {
  it('needs the security team, and says which commits and why', () => {
    const v = evaluate(facts.sandbox, pr([approve('anguyen')], { unknownPushers: [UNLINKED] }), TEAMS);
    expect(v.requirements[1]).toEqual({
      rule: 'unknown-pusher',
      subject: 'unknown-pusher',
      who: 'the security team (@northwind/security)',
      why: 'commit c0ffee1 has no GitHub account for its author or committer: who pushed it is unknown',
      users: [],
      teams: ['@northwind/security'],
      count: 1,
      met: false,
      approvedBy: [],
      missing: 'needs a member of @northwind/security',
    });
    const two = evaluate(facts.nothing, pr([], { unknownPushers: [UNLINKED, HEAD, UNLINKED] }), TEAMS);
    expect(two.requirements.map((q) => q.why)).toEqual(['commits c0ffee1, 9f2c1e4 have no GitHub account for their author or committer: who pushed them is unknown']);
  });

  it('makes the security team worth reading even when the change needs nobody else', () => {
    expect(teamsNeeded(facts.nothing)).toEqual([]);
    expect(teamsNeeded(facts.nothing, { unknownPushers: [] })).toEqual([]);
    expect(teamsNeeded(facts.nothing, { unknownPushers: [UNLINKED] })).toEqual(['@northwind/security']);
  });

  it('cannot be met by a member of the security team who is party to the change', () => {
    const v = evaluate(facts.sandbox, pr([approve('anguyen'), approve('csmith')], { unknownPushers: [UNLINKED], author: 'csmith' }), TEAMS);
    expect(shape(v)).toEqual({
      met: false,
      reviews: [['anguyen', true, null], ['csmith', false, '@csmith opened this pull request']],
      requirements: [['group-owners', true, ['anguyen']], ['unknown-pusher', false, []]],
    });
  });
});
