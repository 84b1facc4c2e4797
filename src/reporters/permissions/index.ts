import { formatPermissionsJson } from './json';
import { formatPermissionsMarkdown } from './markdown';
import { formatPermissionsText } from './text';
import type { PermissionsReporter } from './types';

export type { PermissionsReporter } from './types';

export const PERMISSIONS_REPORTERS = {
  text: formatPermissionsText,
  json: formatPermissionsJson,
  markdown: (s) => formatPermissionsMarkdown(s),
} as const satisfies Record<string, PermissionsReporter>;

export type PermissionsFormat = keyof typeof PERMISSIONS_REPORTERS;
export const PERMISSIONS_FORMATS = Object.keys(PERMISSIONS_REPORTERS) as PermissionsFormat[];
