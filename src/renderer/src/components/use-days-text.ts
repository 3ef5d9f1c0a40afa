import { useI18n } from 'vue-i18n'
import { WEEKDAYS_MONDAY_FIRST, type Weekday } from '../api/schedules'

/**
 * The days an alarm rings, in words: "every day", "weekdays", or the days listed from Monday.
 * `short` lists them as three lower-case letters, for the schedule editor's narrow cards.
 */
export function useDaysText(): (days: readonly Weekday[], options?: { short?: boolean }) => string {
  const { t } = useI18n()
  return (days, { short = false } = {}) => {
    if (days.length === 7) return t('schedules.everyDay')
    const workdays = WEEKDAYS_MONDAY_FIRST.slice(0, 5)
    if (days.length === 5 && workdays.every((d) => days.includes(d))) return t('schedules.weekdays')
    return WEEKDAYS_MONDAY_FIRST.filter((d) => days.includes(d))
      .map((d) => (short ? t(`weekdays.${d}`).slice(0, 3).toLowerCase() : t(`weekdays.${d}`)))
      .join(', ')
  }
}
