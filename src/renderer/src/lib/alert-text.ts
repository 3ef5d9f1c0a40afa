import type { AlertView } from '../api/types'
import { i18n } from '../i18n'
import { deviceErrorText } from './event-text'
import { formatTime } from './time'

/**
 * An alert's sentence in the dashboard's language, built from its kind and params. The server
 * stores the text once, in the family's language (for Telegram); a person reading the dashboard
 * in the other language must not get it. A kind this dashboard does not know keeps the stored text.
 */
export function alertText(alert: AlertView): string {
  const { t, te, locale } = i18n.global
  const key = `alertText.${alert.kind}`
  if (!te(key)) return alert.text
  const p = alert.params as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const time = (v: unknown) => (typeof v === 'string' ? formatTime(v, locale.value) : '?')
  const label = str(p.alarm_label) ? `«${str(p.alarm_label)}»` : t('alertText.theDose')
  const lines = [
    t(key, {
      device: str(p.device_name) || alert.device_id,
      label,
      alarm: time(p.alarm_at),
      taken: time(p.taken_at),
      since: time(p.since),
      version: str(p.version) || '?',
      count: typeof p.count === 'number' ? p.count : 3,
      unscheduled: p.unscheduled === true ? t('alertText.unscheduled') : '',
      error: str(p.error) ? ` (${deviceErrorText(p.error)})` : ''
    })
  ]
  // A missed dose taken later: closed by itself, and says when it was taken.
  if (alert.resolved_at && typeof p.taken_at === 'string')
    lines.push(t('alertText.takenAt', { time: time(p.taken_at) }))
  // A "did not ring" alarm whose event arrived later (buffered while the dispenser was offline).
  else if (alert.resolved_at && typeof p.rang_at === 'string')
    lines.push(t('alertText.rangAt', { time: time(p.rang_at) }))
  return lines.join(' · ')
}
