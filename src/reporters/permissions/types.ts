import type { PermissionSetSummary } from '../../iam/summary';

export type { LevelCounts, PermissionSetSummary, SensitiveSummary, ServiceSummary, Verdict } from '../../iam/summary';

/** One output format of `accessctl permissions`: the summary in, the whole output out. */
export type PermissionsReporter = (summary: PermissionSetSummary) => string;
