import { csvRow, csvSeparator, CSV_BOM, CSV_EOL, type CsvLanguage } from '@shared/csv'
import type { EventView } from '../api/types'
import { i18n } from '../i18n'
import { payloadSummary } from './event-text'
import { zonedIso } from './time'

/** Columns of the English history export, in order (machine names, stable for scripts). */
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

/** The same columns for Spanish spreadsheets: words a family reads. */
const CSV_COLUMNS_ES = [
  'Fecha y hora',
  'Recibido',
  'ID del dispensador',
  'Dispensador',
  'Evento',
  'Etiqueta',
  'Detalle',
  'ID del evento'
] as const

export function csvHeader(lang: CsvLanguage): string {
  return csvRow(lang === 'es' ? CSV_COLUMNS_ES : CSV_COLUMNS, csvSeparator(lang))
}

export function alarmLabelOf(event: EventView): string {
  const label = event.payload?.alarm_label
  return typeof label === 'string' ? label : label == null ? '' : JSON.stringify(label)
}

/**
 * Spanish rows say the event and its fields in words (in the dashboard's language, which is the
 * file's); English rows keep the type and the JSON payload. Both write times on the family's
 * clock with their offset.
 */
export function eventCsvRow(
  event: EventView,
  deviceName: (id: string) => string | null,
  lang: CsvLanguage = 'en'
): string {
  const { t, te } = i18n.global
  const typeKey = `events.types.${event.type}`
  const { alarm_label: _label, ...rest } = event.payload ?? {}
  const detail =
    lang === 'es'
      ? payloadSummary({ ...event, payload: rest })
      : event.payload
        ? JSON.stringify(event.payload)
        : ''
  return csvRow(
    [
      zonedIso(event.occurred_at),
      zonedIso(event.received_at),
      event.device_id,
      deviceName(event.device_id),
      lang === 'es' && te(typeKey) ? t(typeKey) : event.type,
      alarmLabelOf(event),
      detail,
      event.event_id
    ],
    csvSeparator(lang)
  )
}

export function eventsToCsv(
  events: readonly EventView[],
  deviceName: (id: string) => string | null,
  lang: CsvLanguage = 'en'
): string {
  const lines = [csvHeader(lang), ...events.map((e) => eventCsvRow(e, deviceName, lang))]
  return CSV_BOM + lines.join(CSV_EOL) + CSV_EOL
}

export { CSV_BOM, CSV_EOL }
