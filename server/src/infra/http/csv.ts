/** A CSV field: quoted when needed, and never starting like a spreadsheet formula. */
export function csvField(v: string | number | boolean | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Lines of fields as a CSV document: UTF-8 with a BOM so spreadsheets read the Chinese, CRLF line ends. */
export function csvDocument(header: string[], rows: Array<Array<string | number | boolean | null>>): string {
  return '\ufeff' + [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\r\n') + '\r\n';
}
