// Whether a pull request's approvals meet the rules: the requirements of the
// change (rules/, or break-glass), the reviews that count, and in words what
// is still missing. Whose approval counts is fixed, not configurable: the
// latest decisive review of each reviewer, on the head commit, from a person
// of the base's people.yaml (each person once) who neither gains access through
// the change nor asked for it nor opened or pushed it.
import { cmp } from '../diagnostics';
import { foldLogin } from '../model/logins';
import { breakGlassProblem } from '../guardrails/rules/break-glass';
import { resolveApprovers, securityTeamRequirement } from './approvers';
import type { ChangeFacts } from './facts';
import { approvalOptions } from './options';
import { APPROVAL_RULES } from './registry';
import type { Requirement } from './rule';

/** A review as GitHub reports it. */
export interface ReviewFact {
  readonly reviewer: string;
  readonly bot: boolean;
  readonly state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  readonly commit: string;
}

/** The pull request around the change, as GitHub reports it. */
export interface PullRequestFacts {
  readonly number: number;
  readonly headSha: string;
  /** Its author's handle, and whether that is a bot (a request the workflow opened). */
  readonly author: string;
  readonly authorIsBot: boolean;
  /** Who asked for the change: the authors of the request issues it came from, with the issue numbers. */
  readonly requesters: ReadonlyArray<{ readonly handle: string; readonly issue: number }>;
  /** Handles of the authors and committers of its commits (bots left out), as GitHub links their emails to accounts. */
  readonly pushers: readonly string[];
  /**
   * SHAs of its commits whose author or committer GitHub links to no account
   * (an email of nobody's, or a web edit with no author): who pushed them is
   * unknown, so the security team approves as well.
   */
  readonly unknownPushers: readonly string[];
  /** In the order GitHub returns them (oldest first). */
  readonly reviews: readonly ReviewFact[];
}

export interface RequirementResult extends Requirement {
  readonly met: boolean;
  /** Counted approvers who satisfy it, sorted. */
  readonly approvedBy: readonly string[];
  /** What is still needed, in words; absent when met. */
  readonly missing?: string;
}

export interface ReviewResult {
  readonly reviewer: string;
  readonly state: ReviewFact['state'];
  readonly commit: string;
  readonly counted: boolean;
  /** Why it does not count. */
  readonly reason?: string;
}

export interface Verdict {
  readonly met: boolean;
  readonly pr: number;
  readonly head: string;
  /** The change only adds break-glass members allowed by policy.yaml breakGlass: its rule replaces the others. */
  readonly breakGlass: boolean;
  readonly requirements: readonly RequirementResult[];
  /** One per reviewer, their latest decisive review. */
  readonly reviews: readonly ReviewResult[];
  /** Notes a reviewer should read (break-glass without approval, rules that could not apply). */
  readonly notes: readonly string[];
}

/** The latest review of each reviewer that approves, requests changes or was dismissed, by lower-case handle: a comment changes nothing. */
export function latestDecisive<R extends { readonly reviewer: string; readonly state: ReviewFact['state'] }>(reviews: readonly R[]): Map<string, R> {
  const latest = new Map<string, R>();
  for (const r of reviews) if (r.state !== 'COMMENTED' && r.state !== 'PENDING') latest.set(r.reviewer.toLowerCase(), r);
  return latest;
}

/** What the change needs: the break-glass rule when it is a break-glass change the base's policy allows, else every enabled rule. */
export function requirementsOf(facts: ChangeFacts): { requirements: Requirement[]; breakGlass: boolean; notes: string[] } {
  const notes: string[] = [];
  const bg = facts.base.policy.breakGlass;
  if (facts.breakGlass.length > 0) {
    // The head's entries judged by the base's rules, now: the head's own policy, and validate (the pull request's
    // code), may say anything. An entry the base's breakGlass does not allow takes the usual route.
    const problems = facts.breakGlass.flatMap((g) => {
      const p = breakGlassProblem(
        bg,
        { group: g.group, login: g.login, ...(g.expires !== '' ? { expires: g.expires } : {}), ...(g.reason !== undefined ? { reason: g.reason } : {}) },
        facts.now,
      );
      return p === undefined ? [] : [`${g.login} in ${g.group}: ${p}`];
    });
    const allowed = bg !== undefined && facts.breakGlassOnly && problems.length === 0;
    if (allowed && bg) {
      const free = new Set(bg.withoutApproval.map(foldLogin));
      if (facts.breakGlass.every((g) => free.has(foldLogin(g.login)))) {
        notes.push(`break-glass: policy.yaml breakGlass.withoutApproval lets ${facts.breakGlass.map((g) => g.login).join(', ')} merge this without ` +
            `approval; a retrospective issue follows the merge`);
        return { requirements: [], breakGlass: true, notes };
      }
      const { users, teams } = resolveApprovers(bg.approvers, facts.base);
      const who = [...users.map((u) => `@${u}`), ...teams].join(', ');
      return {
        requirements: [{ rule: 'break-glass', subject: 'break-glass', who: `an on-call approver (${who})`, why: `break-glass access to ` +
            `${[...new Set(facts.breakGlass.map((g) => g.group))].join(', ')}, ending ${facts.breakGlass.map((g) => g.expires).sort(cmp).pop()}`, users, teams, count: 1 }],
        breakGlass: true,
        notes,
      };
    }
    notes.push(
      bg === undefined
        ? 'break-glass members, but the default branch\'s policy.yaml has no breakGlass section: the usual approvals apply'
        : facts.breakGlassOnly
          ? `break-glass members outside what the default branch's policy.yaml breakGlass allows (${problems.join('; ')}): the usual approvals apply`
          : 'break-glass members together with other changes: the usual approvals apply',
    );
  }
  // Why each widened permission set counts its holders as gaining access (src/iam/widening.ts).
  for (const w of facts.widened ?? []) {
    const more = w.reasons.length > 3 ? `; and ${w.reasons.length - 3} more` : '';
    notes.push(`permission set ${w.name} widens (its holders count as granted access): ${w.reasons.slice(0, 3).join('; ')}${more}`);
  }
  const requirements: Requirement[] = [];
  for (const rule of APPROVAL_RULES) {
    const options = approvalOptions(rule, facts.base.policy.approvals[rule.id]);
    if (options) requirements.push(...rule.requirements(facts, options));
  }
  return { requirements, breakGlass: false, notes };
}

/**
 * The teams whose members may decide whether the change's requirements are met (the security team too:
 * requirements whose approvers are all party to the change pass to it, and commits whose pusher is unknown need it).
 */
export function teamsNeeded(facts: ChangeFacts, pr?: Pick<PullRequestFacts, 'unknownPushers'>): string[] {
  const { requirements } = requirementsOf(facts);
  if (requirements.length === 0 && (pr?.unknownPushers.length ?? 0) === 0) return [];
  return [...new Set([...requirements.flatMap((r) => r.teams), ...securityTeamRequirement(facts.base).teams])].sort(cmp);
}

/** GitHub handles are ASCII and GitHub compares them ignoring case: so does everything here, through `lower`. */
function lower(h: string): string {
  return h.toLowerCase();
}

/** Who approves for the security team (securityTeamRequirement()). */
type SecurityTeam = ReturnType<typeof securityTeamRequirement>;

/** Who each handle is, and who is party to the change: what evaluate()'s steps share. */
interface Parties {
  /** Handle (lower case) -> the folded login the base's people.yaml gives it to. */
  readonly approverOf: ReadonlyMap<string, string>;
  /** Why someone is party to the change (gains access, asked for it, opened or pushed it), under this handle or another of theirs, or undefined. */
  readonly partyTo: (handle: string) => string | undefined;
}

/**
 * An approval is a person's, not an account's: the person the base's people.yaml (the default branch) gives the
 * handle to, by folded login. The head's people.yaml makes nobody an approver: a change cannot name its own
 * approvers, nor let a second account of someone count apart from them.
 */
function partiesOf(facts: ChangeFacts, pr: PullRequestFacts): Parties {
  const approverOf = new Map(facts.base.people.flatMap((p) => (p.github !== undefined ? [[lower(p.github), foldLogin(p.login)] as const] : [])));
  /** The people (folded logins) a handle stands for in either revision: to find who is party to the change under any of their handles. */
  const peopleOf = (handle: string): string[] => {
    const h = lower(handle);
    return [...new Set([approverOf.get(h), facts.loginsByHandle.get(h)].filter((l): l is string => l !== undefined))];
  };
  const same = (a: string, b: string): boolean => lower(a) === lower(b) || peopleOf(a).some((l) => peopleOf(b).includes(l));
  /** The item of `items` whose handle is `handle`, else one whose handle is another of the same person's. */
  const sameIn = <T>(items: readonly T[], handleOf: (x: T) => string, handle: string): T | undefined =>
    items.find((x) => lower(handleOf(x)) === lower(handle)) ?? items.find((x) => same(handleOf(x), handle));

  const granteeByHandle = new Set([...facts.grantees.values()].flatMap((g) => (g.handle !== undefined ? [lower(g.handle)] : [])));

  const partyTo = (handle: string): string | undefined => {
    const h = lower(handle);
    const at = `@${handle}`;
    const as = (other: string): string => (lower(other) === h ? '' : ` as @${other}`);
    if (granteeByHandle.has(h) || peopleOf(handle).some((l) => facts.grantees.has(l))) return `${at} cannot approve a change that grants ${at} access`;
    const requester = sameIn(pr.requesters, (r) => r.handle, handle);
    if (requester !== undefined) {
      return `${at} asked for this change (#${requester.issue}${lower(requester.handle) === h ? '' : `, as @${requester.handle}`}) and cannot approve it`;
    }
    if (same(pr.author, handle)) return `${at} opened this pull request${as(pr.author)}`;
    const pusher = sameIn(pr.pushers, (p) => p, handle);
    if (pusher !== undefined) return `${at} pushed commits to this pull request${as(pusher)} and cannot approve it`;
    return undefined;
  };
  return { approverOf, partyTo };
}

/**
 * Why a review does not count, or undefined. In order: what the review is, then what the reviewer is to the
 * change, then whether the base's people.yaml knows them.
 */
function refusal(r: ReviewFact, facts: ChangeFacts, pr: PullRequestFacts, parties: Parties): string | undefined {
  const at = `@${r.reviewer}`;
  if (r.bot) return `${at} is a bot`;
  if (r.state === 'DISMISSED') return `${at}'s review was dismissed`;
  if (r.state === 'CHANGES_REQUESTED') return `${at} requested changes`;
  if (r.commit !== pr.headSha) return `${at} approved an older commit (${r.commit.slice(0, 7)}); approve again`;
  const party = parties.partyTo(r.reviewer);
  if (party !== undefined) return party;
  if (!parties.approverOf.has(lower(r.reviewer))) {
    return facts.loginsByHandle.has(lower(r.reviewer))
      ? `${at} is in people.yaml only through this change, which cannot name its own approvers`
      : `${at} is not in people.yaml`;
  }
  return undefined;
}

/** Each reviewer's latest decisive review, whether it counts and why not; sorted by reviewer. */
function judgeReviews(facts: ChangeFacts, pr: PullRequestFacts, parties: Parties): ReviewResult[] {
  const reviews: ReviewResult[] = [...latestDecisive(pr.reviews).values()].map((r) => {
    const reason = refusal(r, facts, pr, parties);
    return { reviewer: r.reviewer, state: r.state, commit: r.commit, counted: reason === undefined, ...(reason !== undefined ? { reason } : {}) };
  });
  reviews.sort((a, b) => cmp(lower(a.reviewer), lower(b.reviewer)));
  return reviews;
}

/**
 * Named approvers who are all party to the change (they gain access, asked for it, opened or pushed it)
 * cannot satisfy a requirement: it passes to the security team instead of blocking for ever.
 */
function routeToSecurity(requirements: readonly Requirement[], security: SecurityTeam, parties: Parties): Requirement[] {
  return requirements.map((req): Requirement => {
    if (req.anyReviewer || req.teams.length > 0 || req.users.length === 0 || !req.users.every((u) => parties.partyTo(u) !== undefined)) return req;
    const named = req.users.map((u) => `@${u}`).join(', ');
    const party = req.users.length === 1 ? `its only approver, ${named}, is` : `all its approvers (${named}) are`;
    return { ...req, who: security.who, why: `${req.why}, and ${party} party to it`, users: security.users, teams: security.teams };
  });
}

/**
 * A commit whose author or committer is no GitHub account hides who pushed it, who might be anyone approving:
 * the security team approves as well, on top of everything else. Undefined when every pusher is known.
 */
function unknownPusherRequirement(pr: PullRequestFacts, security: SecurityTeam): Requirement | undefined {
  const unknown = [...new Set(pr.unknownPushers)];
  if (unknown.length === 0) return undefined;
  const shas = unknown.map((s) => s.slice(0, 7)).join(', ');
  return {
    rule: 'unknown-pusher',
    subject: 'unknown-pusher',
    who: security.who,
    why: unknown.length === 1
      ? `commit ${shas} has no GitHub account for its author or committer: who pushed it is unknown`
      : `commits ${shas} have no GitHub account for their author or committer: who pushed them is unknown`,
    users: security.users,
    teams: security.teams,
    count: 1,
  };
}

/** Whether the counted approvals (`counted`, handles) meet `req`, and by whom. */
function requirementResult(
  req: Requirement,
  counted: readonly string[],
  teamMembers: ReadonlyMap<string, readonly string[]>,
  parties: Parties,
): RequirementResult {
  const inTeam = (team: string, h: string): boolean => (teamMembers.get(team) ?? []).some((m) => lower(m) === lower(h));
  const eligible = counted
    .filter((h) => req.anyReviewer === true || req.users.some((u) => lower(u) === lower(h)) || req.teams.some((t) => inTeam(t, h)))
    .sort(cmp);
  // Distinct people, not accounts: each person once, under the first of their handles.
  const byPerson = new Map<string, string>();
  for (const h of eligible) {
    const person = parties.approverOf.get(lower(h)) ?? lower(h);
    if (!byPerson.has(person)) byPerson.set(person, h);
  }
  const approvedBy = [...byPerson.values()].sort(cmp);
  const met = approvedBy.length >= req.count;
  return { ...req, met, approvedBy, ...(met ? {} : { missing: missingWords(req, approvedBy) }) };
}

/** Judges the reviews of `pr` against what `facts` needs; `teamMembers` maps each team of teamsOf() to its members' handles. */
export function evaluate(facts: ChangeFacts, pr: PullRequestFacts, teamMembers: ReadonlyMap<string, readonly string[]>): Verdict {
  const { requirements, breakGlass, notes } = requirementsOf(facts);
  const parties = partiesOf(facts, pr);
  const reviews = judgeReviews(facts, pr, parties);
  const counted = reviews.filter((r) => r.counted).map((r) => r.reviewer);
  const security = securityTeamRequirement(facts.base);
  const routed = routeToSecurity(requirements, security, parties);
  const unknown = unknownPusherRequirement(pr, security);
  if (unknown !== undefined) routed.push(unknown);
  const results = routed.map((req) => requirementResult(req, counted, teamMembers, parties));
  return { met: results.every((r) => r.met), pr: pr.number, head: pr.headSha, breakGlass, requirements: results, reviews, notes };
}

function missingWords(req: Requirement, approvedBy: readonly string[]): string {
  const has = approvedBy.length > 0 ? ` (has ${approvedBy.length}: ${approvedBy.map((h) => `@${h}`).join(', ')})` : '';
  if (req.anyReviewer) return `needs ${req.count} distinct approvals${has}`;
  const names = [...req.users.map((u) => `@${u}`), ...req.teams.map((t) => `a member of ${t}`)];
  if (names.length === 0) return `cannot be met: ${req.who}`;
  if (req.count === 1) return `needs ${names.length === 1 ? names[0] : `one of ${names.join(', ')}`}`;
  return `needs ${req.count} of ${names.join(', ')}${has}`;
}
