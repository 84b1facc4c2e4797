import type { ActionQuestion } from '../../audit/lens';
import type { AuditEvent, CommitRef, UnreadableCommit } from '../../audit/walk';

/** What an audit report shows: the filtered events and the walk's findings. */
export interface AuditReport {
  readonly events: readonly AuditEvent[];
  readonly unreadable: readonly UnreadableCommit[];
  readonly directPushes: readonly CommitRef[];
  readonly commits: number;
  readonly range: { readonly since?: string; readonly until?: string };
  /** The repository's web URL, for links to commits and pull requests (from GITHUB_SERVER_URL/GITHUB_REPOSITORY). */
  readonly repoUrl?: string;
  /** When the report was made. */
  readonly generated: string;
  /** With --action: the action and resource asked about; the events then carry ActionDecisionFields. */
  readonly question?: ActionQuestion;
}
