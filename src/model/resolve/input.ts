// What resolve reads and returns. The step modules import these from here, never from ../resolve, so that
// resolve.ts and its steps do not import each other.
import type { Diagnostic } from '../../diagnostics';
import type { YamlFile } from '../../load/parse';
import type { AccountsDocument } from '../../schema/accounts';
import type { GroupDocument } from '../../schema/group';
import type { ImportsDocument } from '../../schema/imports';
import type { PeopleDocument } from '../../schema/people';
import type { PermissionSetDocument } from '../../schema/permission-set';
import type { PolicyFileDocument } from '../../schema/policy';
import type { SettingsDocument } from '../../schema/settings';
import type { AccessModel, Group } from '../types';

/** A file that passed its schema, with its data typed. */
export interface Typed<T> {
  readonly file: YamlFile;
  readonly data: T;
}

/**
 * Names declared in files that failed validation. References to them are not
 * reported again, so one broken file does not bury the real error under a
 * cascade of "unknown …" errors; `all` means the names could not be read at all.
 */
export interface Partial {
  readonly names: Set<string>;
  all: boolean;
}

export interface ResolveInput {
  readonly settings?: Typed<SettingsDocument>;
  readonly accounts: ReadonlyArray<Typed<AccountsDocument>>;
  readonly people?: Typed<PeopleDocument>;
  readonly policy?: Typed<PolicyFileDocument>;
  /** imports.yaml and any files under imports/ (a large org's import is split to stay under the file size limit). */
  readonly imports?: ReadonlyArray<Typed<ImportsDocument>>;
  readonly permissionSets: ReadonlyArray<Typed<PermissionSetDocument>>;
  readonly groups: ReadonlyArray<Typed<GroupDocument>>;
  readonly broken: {
    readonly settings: boolean;
    readonly people: boolean;
    readonly accounts: Partial;
    readonly permissionSets: Partial;
    /** Group files that did not load: policy.yaml may name their groups without an error of its own. */
    readonly groups?: Partial;
  };
}

/** What `resolve` returns. */
export interface Resolved {
  readonly model?: AccessModel;
  readonly diagnostics: Diagnostic[];
  /**
   * Resolves one more group file against this model's accounts, permission
   * sets, people and apps: lets a history walk re-resolve only the groups a
   * commit changed. Cross-group checks (duplicate names) are the caller's.
   */
  readonly resolveGroup?: (file: YamlFile, data: GroupDocument) => { group: Group; diagnostics: Diagnostic[] };
}
