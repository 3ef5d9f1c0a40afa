import type { EventView } from '../api/types'
import { i18n } from '../i18n'

/** Visual family of an event type (colour of its marker). */
export function eventTone(type: string): 'dose' | 'alarm' | 'system' | 'update' | 'failure' {
  if (type === 'dose_taken') return 'dose'
  if (type === 'alarm_triggered' || type === 'alarm_ack') return 'alarm'
  if (type === 'ota_fail') return 'failure'
  if (type.startsWith('ota_')) return 'update'
  return 'system'
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** A known device word in the chosen language, or the device's own text quoted. */
function known(group: string, value: unknown): string {
  const { t, te } = i18n.global
  const text = valueText(value)
  const key = `eventWords.${group}.${text.trim().toLowerCase().replace(/\s+/g, '_')}`
  return te(key) ? t(key) : t('eventWords.fields.raw', { text })
}

/** A failure string a dispenser reported (ota_fail's `error`) in words. */
export function deviceErrorText(value: unknown): string {
  const text = valueText(value)
  const http = /^http (\d{3})$/.exec(text)
  if (http) return i18n.global.t('eventWords.errors.http', { status: http[1] })
  if (text.startsWith('download failed')) return i18n.global.t('eventWords.errors.download_failed')
  return known('errors', value)
}

/** One payload field in words: "Reinicio pedido desde el panel", "arranque n.º 1". */
function fieldText(key: string, value: unknown): string {
  const { t, te } = i18n.global
  switch (key) {
    case 'reason':
    case 'reset_reason':
      return known('reasons', value)
    case 'error':
      return deviceErrorText(value)
    case 'boot_count':
    case 'version':
      return t(`eventWords.fields.${key}`, { value: valueText(value) })
    default: {
      const label = `eventWords.fields.names.${key}`
      return t('eventWords.fields.other', {
        name: te(label) ? t(label) : key,
        value: valueText(value)
      })
    }
  }
}

/**
 * The payload in one line of words: the alarm label first (the family's own text), then every
 * other field in the chosen language ("reason: remote · boot_count: 1" reads "Reinicio pedido
 * desde el panel · arranque n.º 1").
 */
export function payloadSummary(event: EventView): string {
  const payload = event.payload ?? {}
  const parts: string[] = []
  if (payload.alarm_label !== undefined) parts.push(valueText(payload.alarm_label))
  for (const [key, value] of Object.entries(payload)) {
    if (key !== 'alarm_label') parts.push(fieldText(key, value))
  }
  return parts.join(' · ')
}

/** The `status` a heartbeat reports ("online" for every firmware so far), in words. */
export function reportedStatus(status: string): string {
  return known('statuses', status)
}
