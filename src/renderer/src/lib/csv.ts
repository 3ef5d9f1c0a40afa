import type { EventView } from '../api/types'

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
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) gets a leading apostrophe: device names and labels come from devices on the network.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: Array<string | null | undefined>): string {
  return values.map(csvCell).join(',')
}

export function alarmLabelOf(event: EventView): string {
  const label = event.payload?.alarm_label
  return typeof label === 'string' ? label : label == null ? '' : JSON.stringify(label)
}

export function eventCsvRow(event: EventView, deviceName: (id: string) => string | null): string {
  return csvRow([
    event.occurred_at,
    event.received_at,
    event.device_id,
    deviceName(event.device_id),
    event.type,
    alarmLabelOf(event),
    event.payload ? JSON.stringify(event.payload) : '',
    event.event_id
  ])
}

/** CRLF line ends as RFC 4180 says; a UTF-8 BOM so spreadsheets read accents right. */
export const CSV_BOM = '\uFEFF'
export const CSV_EOL = '\r\n'

export function eventsToCsv(
  events: readonly EventView[],
  deviceName: (id: string) => string | null
): string {
  const lines = [csvRow([...CSV_COLUMNS]), ...events.map((e) => eventCsvRow(e, deviceName))]
  return CSV_BOM + lines.join(CSV_EOL) + CSV_EOL
}
