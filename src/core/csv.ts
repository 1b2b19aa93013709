/**
 * One CSV cell: quoted when it holds a quote, comma or line break, and defused when a spreadsheet
 * would read it as a formula (a leading `=`, `+`, `-` or `@` that is not a plain negative number).
 */
export const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value)
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+$/.test(text) ? `'${text}` : text
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** A CSV document: the header and one line per row, cells through {@link csvCell}. */
export const csvOf = (header: readonly string[], rows: ReadonlyArray<readonly unknown[]>) =>
  [header.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n'
