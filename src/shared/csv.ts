/**
 * The one CSV writer: the dashboard's history export and the server's outcome export both use it.
 *
 * Spreadsheets read CSV by the system's locale. Spanish Excel splits columns on `;` (the comma is
 * its decimal separator), so a Spanish file uses `;` and Spanish headers; an English file keeps
 * commas and the machine column names scripts rely on. Both start with a UTF-8 BOM so accents
 * ("mañana") read right, and end lines with CRLF as RFC 4180 says.
 */

export type CsvLanguage = 'es' | 'en'
export type CsvValue = string | number | null | undefined

export const CSV_BOM = '\uFEFF'
export const CSV_EOL = '\r\n'

export function csvSeparator(lang: CsvLanguage): ',' | ';' {
  return lang === 'es' ? ';' : ','
}

/**
 * One RFC 4180 field. Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets
 * a leading apostrophe: labels are typed by people and device names come from the network.
 */
export function csvCell(value: CsvValue, separator: ',' | ';' = ','): string {
  if (typeof value === 'number') return String(value)
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  const quote = /["\r\n]/.test(text) || text.includes(separator) || /^\s|\s$/.test(text)
  return quote ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: readonly CsvValue[], separator: ',' | ';' = ','): string {
  return values.map((v) => csvCell(v, separator)).join(separator)
}

/** A whole file: BOM, header, rows, CRLF after every line. */
export function toCsv(
  lang: CsvLanguage,
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>
): string {
  const separator = csvSeparator(lang)
  const lines = [csvRow(header, separator)]
  for (const row of rows) lines.push(csvRow(row, separator))
  return CSV_BOM + lines.join(CSV_EOL) + CSV_EOL
}
