/**
 * The words of every alert, Spanish first. Short and specific: who, what, when — a daughter at
 * work reads it on a lock screen.
 */
import type { AlertKind } from '../../../shared/alert-kinds'
import { shortLocalTime } from '../../../shared/time-zone'

export type Language = 'es' | 'en'

export type { AlertKind }

export interface AlertParams {
  device_name: string
  alarm_label?: string
  /** ISO instants, rendered in the family's time zone. */
  alarm_at?: string
  taken_at?: string
  /** When a "did not ring" alarm's event arrived after all (buffered while offline). */
  rang_at?: string
  since?: string
  version?: string
  error?: string
  count?: number
  /** The alarm rang outside every scheduled dose: said so, and not counted in adherence. */
  unscheduled?: boolean
}

/** "09:00", or "25/11 09:00" when it is not today in that zone. */
export function localTime(iso: string, timeZone: string, now = new Date()): string {
  return shortLocalTime(timeZone, Date.parse(iso), now.getTime())
}

export function renderAlert(
  kind: AlertKind,
  p: AlertParams,
  lang: Language,
  timeZone: string,
  now = new Date()
): string {
  const t = (iso: string | undefined) => (iso ? localTime(iso, timeZone, now) : '?')
  const label = p.alarm_label ? `«${p.alarm_label}»` : lang === 'es' ? 'la dosis' : 'the dose'
  const es: Record<AlertKind, () => string> = {
    missed_dose: () =>
      `${p.device_name}: no se tomó ${label} (alarma ${p.unscheduled ? 'fuera de horario, ' : ''}${t(p.alarm_at)})`,
    dose_taken_late: () =>
      `${p.device_name}: se tomó ${label} a las ${t(p.taken_at)} (alarma ${t(p.alarm_at)})`,
    device_offline: () => `${p.device_name}: sin conexión desde las ${t(p.since)}`,
    device_online: () => `${p.device_name}: vuelve a estar en línea`,
    ota_failed: () =>
      `${p.device_name}: falló la actualización a ${p.version ?? '?'}${p.error ? ` (${p.error})` : ''}`,
    reboot_loop: () => `${p.device_name}: se reinició ${p.count ?? 3} veces en 10 minutos`,
    schedule_missed: () => `${p.device_name}: la alarma ${label} de las ${t(p.alarm_at)} no sonó`
  }
  const en: Record<AlertKind, () => string> = {
    missed_dose: () =>
      `${p.device_name}: ${label} was not taken (${p.unscheduled ? 'unscheduled ' : ''}alarm ${t(p.alarm_at)})`,
    dose_taken_late: () =>
      `${p.device_name}: ${label} taken at ${t(p.taken_at)} (alarm ${t(p.alarm_at)})`,
    device_offline: () => `${p.device_name}: offline since ${t(p.since)}`,
    device_online: () => `${p.device_name}: back online`,
    ota_failed: () =>
      `${p.device_name}: update to ${p.version ?? '?'} failed${p.error ? ` (${p.error})` : ''}`,
    reboot_loop: () => `${p.device_name}: restarted ${p.count ?? 3} times in 10 minutes`,
    schedule_missed: () => `${p.device_name}: the ${t(p.alarm_at)} ${label} alarm did not ring`
  }
  return (lang === 'es' ? es : en)[kind]()
}

export const BOT_TEXT = {
  es: {
    ackButton: 'Visto ✅',
    acked: (who: string, at: string) => `✅ Visto por ${who} (${at})`,
    takenAt: (at: string) => `✅ Tomada a las ${at}`,
    rangAt: (at: string) => `🔔 Sí sonó, a las ${at}`,
    ackedAnswer: 'Marcado como visto',
    alreadyAcked: (who: string) => `Ya lo vio ${who}`,
    linked:
      'Listo: recibirás aquí las alertas de Pastillero. Comandos: /estado, /hoy, /silencio 2h',
    wrongCode:
      'Código incorrecto. Búscalo en Pastillero → Ajustes → Telegram y envía /start CÓDIGO.',
    notLinked:
      'Este chat no está vinculado. Envía /start CÓDIGO (lo verás en Pastillero → Ajustes → Telegram).',
    noDevices: 'No hay pastilleros registrados todavía.',
    online: 'en línea',
    offline: 'sin conexión',
    dosesToday: (n: number) => `${n} ${n === 1 ? 'toma' : 'tomas'} hoy`,
    todayHeader: 'Hoy:',
    nothingToday: 'Hoy no hay alarmas ni tomas registradas.',
    alarm: 'alarma',
    taken: 'tomada',
    muteUsage: 'Uso: /silencio 2h (o 30m, 1d). /silencio 0 lo quita.',
    mutedUntil: (at: string) => `Silenciado hasta las ${at}: las alertas llegarán sin sonido.`,
    unmuted: 'Silencio desactivado.',
    test: '🔔 Mensaje de prueba de Pastillero: las alertas llegarán a este chat.',
    unknown: 'Comandos: /estado, /hoy, /silencio 2h'
  },
  en: {
    ackButton: 'Seen ✅',
    acked: (who: string, at: string) => `✅ Seen by ${who} (${at})`,
    takenAt: (at: string) => `✅ Taken at ${at}`,
    rangAt: (at: string) => `🔔 It did ring, at ${at}`,
    ackedAnswer: 'Marked as seen',
    alreadyAcked: (who: string) => `Already seen by ${who}`,
    linked: 'Done: Pastillero alerts will arrive here. Commands: /status, /today, /mute 2h',
    wrongCode: 'Wrong code. Find it in Pastillero → Settings → Telegram and send /start CODE.',
    notLinked: 'This chat is not linked. Send /start CODE (see Pastillero → Settings → Telegram).',
    noDevices: 'No dispensers registered yet.',
    online: 'online',
    offline: 'offline',
    dosesToday: (n: number) => `${n} ${n === 1 ? 'dose' : 'doses'} today`,
    todayHeader: 'Today:',
    nothingToday: 'No alarms or doses recorded today.',
    alarm: 'alarm',
    taken: 'taken',
    muteUsage: 'Usage: /mute 2h (or 30m, 1d). /mute 0 turns it off.',
    mutedUntil: (at: string) => `Muted until ${at}: alerts will arrive silently.`,
    unmuted: 'Mute turned off.',
    test: '🔔 Pastillero test message: alerts will arrive in this chat.',
    unknown: 'Commands: /status, /today, /mute 2h'
  }
} as const
