import { toCsv, type CsvLanguage } from '../../../shared/csv'
import type { DoseOutcome } from '../../../shared/schedule-schemas'

/** Columns of the English outcome export, in order: machine names, stable for scripts. */
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

/** The same columns in Spanish, for a family's spreadsheet. */
const OUTCOME_CSV_COLUMNS_ES = [
  'ID del dispensador',
  'Dispensador',
  'Fecha',
  'Hora',
  'Hora prevista (UTC)',
  'Etiqueta',
  'ID de la alarma',
  'Versión del horario',
  'Origen',
  'Resultado',
  'Sonó',
  'Veces que sonó',
  'Atendida',
  'Tomada',
  'Retraso (min)',
  'Margen (min)',
  'Compartimento',
  'Pastillas'
] as const

const STATUS_ES: Record<DoseOutcome['status'], string> = {
  on_time: 'a tiempo',
  late: 'tarde',
  missed: 'no tomada',
  unknown: 'sin datos',
  pending: 'pendiente'
}
const SOURCE_ES: Record<DoseOutcome['source'], string> = {
  schedule: 'horario',
  alarm: 'alarma',
  unscheduled: 'fuera de horario'
}

/**
 * The outcome list as CSV (shared/csv.ts): English keeps machine names and commas; Spanish has
 * Spanish headers and words, `;` separators. Both with a UTF-8 BOM.
 */
export function outcomesToCsv(
  outcomes: readonly DoseOutcome[],
  deviceName: (id: string) => string | null,
  lang: CsvLanguage = 'en'
): string {
  const es = lang === 'es'
  return toCsv(
    lang,
    es ? OUTCOME_CSV_COLUMNS_ES : OUTCOME_CSV_COLUMNS,
    outcomes.map((o) => [
      o.device_id,
      deviceName(o.device_id),
      o.local_date,
      o.local_time,
      o.scheduled_at,
      o.alarm_label,
      o.schedule_alarm_id,
      o.schedule_version,
      es ? SOURCE_ES[o.source] : o.source,
      es ? STATUS_ES[o.status] : o.status,
      o.alarm_at,
      o.rings,
      o.ack_at,
      o.taken_at,
      o.delay_s === null ? null : Math.round(o.delay_s / 60),
      o.window_min,
      o.compartment,
      o.pill_count
    ])
  )
}
