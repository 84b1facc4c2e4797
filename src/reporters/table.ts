/** A plain text table: columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  // A loop, not Math.max(...cells): spreading a million cells overflows the stack (who-can over a large org).
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < widths.length; i++) if (r[i].length > widths[i]!) widths[i] = r[i].length;
  const line = (cells: readonly string[]): string =>
    `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()}\n`;
  return line(header) + rows.map(line).join('');
}
