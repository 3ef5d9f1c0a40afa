import type { ScheduleService } from '../schedules/schedule-service'
import type { SettingsRepository } from '../settings/settings-repository'
import type { SettingsService } from '../settings/settings-service'
import type { CoreEventBus } from '../lib/event-bus'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import { localDateOf, wallClock, weekdayOf } from '../../../shared/time-zone'
import type { Db } from '../store/db'
import type { TelegramRepository } from '../telegram/telegram-repository'

const SENT_SETTING = 'weekly_summary_sent_for'
const SEND_AT_HOUR = 19 // Sunday evening, family time

/** The family's local weekday (0 = Sunday), hour and date (YYYY-MM-DD) at `now`. */
function localClock(now: Date, timeZone: string): { weekday: number; hour: number; date: string } {
  const date = localDateOf(timeZone, now.getTime())
  return { weekday: weekdayOf(date), hour: wallClock(timeZone, now.getTime()).hour, date }
}

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value)} %`)

/** The summary text: per dispenser, doses taken and on time over the last 7 days. */
export function weeklySummaryText(
  adherence: ReturnType<ScheduleService['adherence']>,
  lang: 'es' | 'en'
): string {
  const es = lang === 'es'
  const header = es
    ? `📋 Resumen semanal (${adherence.from} – ${adherence.to})`
    : `📋 Weekly summary (${adherence.from} – ${adherence.to})`
  if (adherence.devices.length === 0)
    return `${header}\n${es ? 'No hay pastilleros registrados.' : 'No dispensers yet.'}`
  const lines = adherence.devices.map((d) => {
    const s = d.overall
    const name = d.name ?? d.device_id
    if (s.known === 0) return `• ${name}: ${es ? 'sin tomas registradas' : 'no doses recorded'}`
    const mark = s.meets_target ? '✅' : `⚠️ ${es ? 'por debajo del 80 %' : 'below 80 %'}`
    return es
      ? `• ${name}: ${s.taken}/${s.known} tomas (${pct(s.taken_pct)}), ${s.on_time} a tiempo (${pct(s.on_time_pct)}) ${mark}`
      : `• ${name}: ${s.taken}/${s.known} doses (${pct(s.taken_pct)}), ${s.on_time} on time (${pct(s.on_time_pct)}) ${mark}`
  })
  return [header, ...lines].join('\n')
}

/**
 * Sends the weekly adherence summary to every Telegram recipient on Sunday evening, once per
 * week (the week is recorded with the queued messages in one transaction, so a restart neither
 * skips nor repeats it). It goes through the outbox, so it survives outages like any alert.
 */
export function createWeeklySummary(deps: {
  db: Db
  schedules: ScheduleService
  outbox: TelegramRepository
  settings: SettingsService
  settingsRepo: SettingsRepository
  bus: CoreEventBus
  log: Logger
}) {
  const { db, schedules, outbox, settings, settingsRepo, bus, log } = deps
  let timer: NodeJS.Timeout | undefined

  const queue = db.transaction((week: string, text: string) => {
    const now = isoMillis()
    for (const r of outbox.recipients()) {
      outbox.enqueue({
        alert_id: null,
        chat_id: r.chat_id,
        action: 'send',
        text,
        ack_button: false,
        now
      })
    }
    settingsRepo.set(SENT_SETTING, week)
  })

  const service = {
    /** Sends this week's summary if it is Sunday evening and it was not sent yet; true if queued. */
    tick(now = new Date()): boolean {
      const { time_zone, language } = settings.current()
      const local = localClock(now, time_zone)
      if (local.weekday !== 0 || local.hour < SEND_AT_HOUR) return false
      if (settingsRepo.get<string>(SENT_SETTING) === local.date) return false
      if (outbox.recipients().length === 0) return false
      queue(local.date, weeklySummaryText(schedules.adherence({ days: 7 }), language))
      bus.emit('outbox.enqueued', {})
      log.info('weekly summary queued', { week_ending: local.date })
      return true
    },
    start(tickMs = 60_000): void {
      timer = setInterval(() => {
        try {
          service.tick()
        } catch (err) {
          log.error('weekly summary failed', { err: String(err) })
        }
      }, tickMs)
      timer.unref()
    },
    stop(): void {
      if (timer) clearInterval(timer)
    }
  }
  return service
}

export type WeeklySummary = ReturnType<typeof createWeeklySummary>
