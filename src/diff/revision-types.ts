// The shapes of a loaded revision and of the diff between two, apart from
// the functions that load them (revisions.ts): what reads a diff (approval
// facts) does not depend on the loader.
import type { Diagnostic } from '../diagnostics';
import type { SourceFile } from '../load/source';
import type { AccessModel } from '../model/types';
import type { Rename } from '../synth/renames';
import type { AccessDiff } from './diff';

/** access/ as it is at one revision, or in the working tree. */
export interface Revision {
  /** How the revision is shown: the ref as given, a label such as "merge-base(HEAD, origin/main)", or "working tree". Never given to git. */
  readonly label: string;
  /** What git reads; absent for the working tree. */
  readonly commit?: string;
  /** Present when the files at the revision load without error. */
  readonly model?: AccessModel;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
}

export interface RevisionDiff {
  readonly base: Revision;
  readonly head: Revision;
  readonly diff: AccessDiff;
  readonly renames: readonly Rename[];
}
