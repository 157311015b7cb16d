// CSV as spreadsheets read it (RFC 4180 quoting, CRLF lines), made safe to open: a cell that a spreadsheet would
// run as a formula (=, +, -, @, tab, carriage return first) is prefixed with a quote, so exported text people
// typed (a reason, a comment, a name) cannot execute anything.

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
