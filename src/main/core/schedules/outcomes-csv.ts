import type { DoseOutcome } from '../../../shared/schedule-schemas'

/** Columns of the outcome export, in order: machine names, stable for spreadsheets and scripts. */
export const OUTCOME_CSV_COLUMNS = [
  'device_id',
  'device_name',
  'local_date',
  'local_time',
  'scheduled_at',
  'alarm_label',
  'schedule_alarm_id',
  'schedule_version',
  'source',
  'status',
  'alarm_at',
  'rings',
  'ack_at',
  'taken_at',
  'delay_min',
  'window_min',
  'compartment',
  'pill_count'
] as const

/**
 * One RFC 4180 field. Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets
 * a leading apostrophe: labels are typed by people and device names come from the network.
 * Same rules as the dashboard's history export.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (typeof value === 'number') return String(value)
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** CRLF line ends as RFC 4180 says; a UTF-8 BOM so spreadsheets read "mañana" right. */
export function outcomesToCsv(
  outcomes: readonly DoseOutcome[],
  deviceName: (id: string) => string | null
): string {
  const lines = [OUTCOME_CSV_COLUMNS.join(',')]
  for (const o of outcomes) {
    lines.push(
      [
        o.device_id,
        deviceName(o.device_id),
        o.local_date,
        o.local_time,
        o.scheduled_at,
        o.alarm_label,
        o.schedule_alarm_id,
        o.schedule_version,
        o.source,
        o.status,
        o.alarm_at,
        o.rings,
        o.ack_at,
        o.taken_at,
        o.delay_s === null ? null : Math.round(o.delay_s / 60),
        o.window_min,
        o.compartment,
        o.pill_count
      ]
        .map(csvCell)
        .join(',')
    )
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}
