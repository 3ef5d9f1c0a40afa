import { useI18n } from 'vue-i18n'
import type { AdherenceStats } from '../api/schedules'
import { formatPct } from '../lib/dose-format'

/** The adherence figures as the views word them, in the current language. */
export function useAdherenceText() {
  const { t, locale } = useI18n()
  return {
    /** A percentage, or "no data" when there were no doses to count. */
    pct: (value: number | null | undefined) =>
      formatPct(value, locale.value, t('adherence.noData')),
    /** "n on time · n late · n missed". */
    counts: (stats: AdherenceStats) =>
      t('adherence.counts', { on_time: stats.on_time, late: stats.late, missed: stats.missed }),
    /** The doses not counted: unknown outcome or still pending. */
    countsExtra: (stats: AdherenceStats) =>
      t('adherence.countsExtra', { unknown: stats.unknown, pending: stats.pending }, stats.pending)
  }
}
