import type { EventView } from '../api/types'
import { zonedIso } from './time'

/** Columns of the history export, in order (machine names, stable for spreadsheets and scripts). */
export const CSV_COLUMNS = [
  'occurred_at',
  'received_at',
  'device_id',
  'device_name',
  'type',
  'alarm_label',
  'payload',
  'event_id'
] as const

/**
 * Spanish spreadsheets (Excel with a Spanish locale) split columns on `;`, since the comma is the
 * decimal mark: a Spanish export uses `;` and Spanish headers; English keeps commas and the
 * machine column names scripts rely on. Both start with a BOM and write times on the family's
 * clock with their offset.
 */
export interface CsvDialect {
  sep: ',' | ';'
  headers: readonly string[]
}

export const CSV_HEADERS_ES = [
  'Fecha y hora',
  'Recibido',
  'Id. del dispositivo',
  'Dispositivo',
  'Tipo',
  'Alarma',
  'Datos',
  'Id. del evento'
] as const

export function csvDialect(locale: string): CsvDialect {
  return locale === 'es'
    ? { sep: ';', headers: CSV_HEADERS_ES }
    : { sep: ',', headers: CSV_COLUMNS }
}

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) gets a leading apostrophe: device names and labels come from devices on the network.
 */
export function csvCell(value: string | null | undefined, sep: ',' | ';' = ','): string {
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",;\r\n]/.test(text) || text.includes(sep) || /^\s|\s$/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text
}

export function csvRow(values: Array<string | null | undefined>, sep: ',' | ';' = ','): string {
  return values.map((v) => csvCell(v, sep)).join(sep)
}

export function alarmLabelOf(event: EventView): string {
  const label = event.payload?.alarm_label
  return typeof label === 'string' ? label : label == null ? '' : JSON.stringify(label)
}

export function eventCsvRow(
  event: EventView,
  deviceName: (id: string) => string | null,
  sep: ',' | ';' = ','
): string {
  return csvRow(
    [
      zonedIso(event.occurred_at),
      zonedIso(event.received_at),
      event.device_id,
      deviceName(event.device_id),
      event.type,
      alarmLabelOf(event),
      event.payload ? JSON.stringify(event.payload) : '',
      event.event_id
    ],
    sep
  )
}

/** CRLF line ends as RFC 4180 says; a UTF-8 BOM so spreadsheets read accents right. */
export const CSV_BOM = '\uFEFF'
export const CSV_EOL = '\r\n'

export function eventsToCsv(
  events: readonly EventView[],
  deviceName: (id: string) => string | null,
  dialect: CsvDialect = csvDialect('en')
): string {
  const lines = [
    csvRow([...dialect.headers], dialect.sep),
    ...events.map((e) => eventCsvRow(e, deviceName, dialect.sep))
  ]
  return CSV_BOM + lines.join(CSV_EOL) + CSV_EOL
}
