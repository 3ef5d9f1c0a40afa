import { useI18n } from 'vue-i18n'
import type { ApiError } from '../../api/client'
import { useSchedulesStore, type DraftError } from '../../stores/schedules'
import { errorDetail } from '../../stores/toasts'

/** Fields of an alarm the form shows an error next to (as the server names them). */
export const ALARM_FIELDS = [
  'label',
  'time',
  'days',
  'compartment',
  'pill_count',
  'window_min',
  'medicine',
  'dose'
] as const

/**
 * The schedule form's error sentences, shared by the page and each alarm's editor: a local
 * check's key under schedules.errors, or the server's error in words.
 */
export function useScheduleErrors() {
  const { t } = useI18n()
  const store = useSchedulesStore()

  function errorText(err: DraftError | ApiError | undefined): string {
    if (!err) return ''
    if (err instanceof Error) return errorDetail(err)
    return t(`schedules.errors.${err.key}`, err.params ?? {})
  }

  const fieldErr = (index: number, field: string) =>
    errorText(store.fieldError(`alarms.${index}.${field}`))

  /** A save error about a whole alarm (not one of its fields). */
  const alarmError = (index: number) => {
    const err = store.saveError
    return err && err.field === `alarms.${index}` ? errorDetail(err) : ''
  }

  return { errorText, fieldErr, alarmError }
}
