/**
 * The kinds of alert the core raises. Zod-free, for the core (messages, the Telegram button) and
 * the dashboard (how an alert looks) alike.
 */
export const ALERT_KINDS = [
  'missed_dose',
  'dose_taken_late',
  'device_offline',
  'device_online',
  'ota_failed',
  'reboot_loop',
  'schedule_missed'
] as const

export type AlertKind = (typeof ALERT_KINDS)[number]

/** News rather than a problem: nobody needs to act, so no "Visto ✅" button and a calm look. */
const NEWS: ReadonlySet<string> = new Set<AlertKind>(['device_online', 'dose_taken_late'])

/** Someone should act on it (and acknowledge it); `kind` may come from an older server. */
export function isActionable(kind: string): boolean {
  return !NEWS.has(kind)
}
