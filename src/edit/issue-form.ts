// Reads an access request from the body GitHub writes for a submitted issue
// form (.github/ISSUE_TEMPLATE/access-request.yml): one "### <label>" heading
// per field, its answer below, "_No response_" for an empty optional field.

/** The form's field labels, as the template declares them (a test keeps the two equal). */
export const FORM_FIELDS = {
  group: 'Group',
  user: 'Okta login',
  expires: 'Expires',
  reason: 'Reason',
  permissionSet: 'Permission set',
  account: 'Account',
} as const;

/** The break-glass form's field labels (.github/ISSUE_TEMPLATE/break-glass.yml). */
export const BREAK_GLASS_FORM_FIELDS = {
  group: 'Group',
  user: 'Okta login',
  hours: 'Hours',
  reason: 'Reason',
} as const;

export type FormField = keyof typeof FORM_FIELDS;
export type FormValues = Partial<Record<FormField, string>>;

export type FormResult<F extends string = FormField> = { values: Partial<Record<F, string>> } | { error: string };

/** Reads the fields of `fields` (key -> label) from an issue form's body. */
export function parseIssueForm<F extends string = FormField>(
  body: string,
  fields: Readonly<Record<F, string>> = FORM_FIELDS as unknown as Record<F, string>,
): FormResult<F> {
  const byLabel = new Map<string, string>();
  let label: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (label !== undefined) byLabel.set(label, lines.join('\n').trim());
  };
  for (const line of body.replace(/\r\n/g, '\n').split('\n')) {
    const heading = /^###\s+(.+?)\s*$/.exec(line);
    if (heading) {
      flush();
      label = heading[1]!;
      lines = [];
    } else if (label !== undefined) lines.push(line);
  }
  flush();
  if (byLabel.size === 0) return { error: 'the issue body has no "### " fields: was it written with the access request form?' };
  const values: Partial<Record<F, string>> = {};
  for (const [field, name] of Object.entries(fields) as [F, string][]) {
    const raw = byLabel.get(name);
    if (raw === undefined || raw === '' || raw === '_No response_') continue;
    // Single-line fields: a value spread over lines is a paste mistake, except the reason.
    const value = field === 'reason' ? raw.replace(/\s*\n\s*/g, ' ') : raw;
    if (field !== 'reason' && /\n/.test(value)) return { error: `the field "${name}" holds more than one line` };
    values[field] = value.replace(/^`(.*)`$/, '$1');
  }
  return { values };
}
