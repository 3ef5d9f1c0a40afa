import type { EventView } from '../api/types'

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

/** The payload in one line: the alarm label first, then any other fields as "key: value". */
export function payloadSummary(event: EventView): string {
  const payload = event.payload ?? {}
  const parts: string[] = []
  if (payload.alarm_label !== undefined) parts.push(valueText(payload.alarm_label))
  for (const [key, value] of Object.entries(payload)) {
    if (key !== 'alarm_label') parts.push(`${key}: ${valueText(value)}`)
  }
  return parts.join(' · ')
}
