import type { Api } from 'node-telegram-bot-api'
import type { Update } from 'node-telegram-bot-api/types'
import { BOT_TEXT, localTime } from '../alerts/alert-messages'
import type { AlertService } from '../alerts/alert-service'
import type { DeviceService } from '../devices/device-service'
import type { EventRepository } from '../events/event-repository'
import type { CoreEventBus } from '../lib/event-bus'
import { startOfDayAt } from '../../../shared/time-zone'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import type { SettingsRepository } from '../settings/settings-repository'
import type { SettingsService } from '../settings/settings-service'
import {
  describe,
  LINK_CODE_ACCOUNT_SETTING,
  LINK_CODE_SETTING,
  MUTED_UNTIL_SETTING,
  type BotState
} from './bot-state'
import { splitMessage } from './split-message'
import type { TelegramRepository } from './telegram-repository'

/**
 * The family's bot: /start CODE links a chat, /estado and /hoy answer from the devices and
 * today's events, /silencio mutes, and the "Visto ✅" button acknowledges an alert.
 */
export interface BotCommandDeps {
  outbox: TelegramRepository
  alerts: AlertService
  devices: DeviceService
  events: EventRepository
  settings: SettingsService
  settingsRepo: SettingsRepository
  bus: CoreEventBus
  log: Logger
}

export function createBotCommands(
  deps: BotCommandDeps & { api: () => Api | undefined; state: BotState }
) {
  const { api, state, outbox, alerts, devices, events, settings, settingsRepo, bus, log } = deps
  const text = () => BOT_TEXT[settings.current().language]
  const isRecipient = (chatId: string) => outbox.recipients().some((r) => r.chat_id === chatId)

  /** Answers a command, in as many messages as Telegram's length limit needs, in order. */
  const reply = async (chatId: number | string, body: string): Promise<void> => {
    for (const part of splitMessage(body)) {
      try {
        await api()!.sendMessage({ chat_id: chatId, text: part })
      } catch (err) {
        log.warn('telegram: reply failed', { error: describe(err) })
        return
      }
    }
  }

  const statusText = (): string => {
    const t = text()
    const list = devices.list()
    if (list.length === 0) return t.noDevices
    const since = new Date(startOfDayAt(settings.current().time_zone, Date.now())).toISOString()
    const now = isoMillis()
    return list
      .map((d) => {
        const doses = events.forDeviceOfTypeBetween(d.device_id, 'dose_taken', since, now).length
        return `${d.online ? '🟢' : '🔴'} ${d.name ?? d.device_id} — ${d.online ? t.online : t.offline} · ${t.dosesToday(doses)}`
      })
      .join('\n')
  }

  const todayText = (): string => {
    const t = text()
    const tz = settings.current().time_zone
    const since = new Date(startOfDayAt(tz, Date.now())).toISOString()
    const now = isoMillis()
    const rows = [
      ...events.ofTypeBetween('alarm_triggered', since, now),
      ...events.ofTypeBetween('dose_taken', since, now)
    ].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id - b.id)
    if (rows.length === 0) return t.nothingToday
    const names = new Map(devices.list().map((d) => [d.device_id, d.name ?? d.device_id]))
    const lines = rows.map((e) => {
      const payload = e.payload ? (JSON.parse(e.payload) as { alarm_label?: unknown }) : {}
      const label = typeof payload.alarm_label === 'string' ? ` «${payload.alarm_label}»` : ''
      const what = e.type === 'dose_taken' ? `✅ ${t.taken}` : `⏰ ${t.alarm}`
      return `${localTime(e.occurred_at, tz)} ${names.get(e.device_id) ?? e.device_id} — ${what}${label}`
    })
    return `${t.todayHeader}\n${lines.join('\n')}`
  }

  const mute = (arg: string | undefined): string => {
    const t = text()
    const match = /^(\d{1,3})\s*([mhd]?)$/i.exec(arg?.trim() ?? '')
    if (!match) return t.muteUsage
    const amount = Number(match[1])
    if (amount === 0) {
      settingsRepo.set(MUTED_UNTIL_SETTING, null)
      return t.unmuted
    }
    const unit = (match[2] || 'h').toLowerCase()
    const ms = amount * (unit === 'm' ? 60_000 : unit === 'd' ? 86_400_000 : 3_600_000)
    const until = new Date(Date.now() + Math.min(ms, 7 * 86_400_000)).toISOString()
    settingsRepo.set(MUTED_UNTIL_SETTING, until)
    return t.mutedUntil(localTime(until, settings.current().time_zone))
  }

  const handleUpdate = async (update: Update): Promise<void> => {
    const t = text()
    if ('message' in update && update.message.text) {
      const msg = update.message
      const chatId = String(msg.chat.id)
      const [command, ...rest] = (msg.text ?? '').trim().split(/\s+/)
      const name = (command ?? '').toLowerCase().replace(/@.*$/, '')
      const who = msg.from?.first_name ?? msg.from?.username ?? msg.chat.title ?? null
      if (name === '/start') {
        if (rest[0] && rest[0].toUpperCase() === state.linkCode()) {
          const owner = settingsRepo.get<number | null>(LINK_CODE_ACCOUNT_SETTING) ?? null
          outbox.addRecipient(chatId, who, 'linked', isoMillis(), owner)
          // A code someone asked for links one chat, to them; the next person asks for their own.
          if (owner !== null) {
            settingsRepo.setMany({ [LINK_CODE_SETTING]: null, [LINK_CODE_ACCOUNT_SETTING]: null })
            state.linkCode()
          }
          bus.emit('telegram.updated', {})
          await reply(chatId, t.linked)
        } else {
          log.warn('telegram: refused a link attempt with a wrong code', { chat_id: chatId })
          await reply(chatId, t.wrongCode)
        }
        return
      }
      if (!isRecipient(chatId)) return void (await reply(chatId, t.notLinked))
      if (name === '/estado' || name === '/status') await reply(chatId, statusText())
      else if (name === '/hoy' || name === '/today') await reply(chatId, todayText())
      else if (name === '/silencio' || name === '/mute') {
        await reply(chatId, mute(rest.join(' ')))
        bus.emit('telegram.updated', {})
      } else await reply(chatId, t.unknown)
      return
    }
    if ('callback_query' in update) {
      const query = update.callback_query
      const chatId = query.message ? String(query.message.chat.id) : undefined
      const match = /^ack:(\d+)$/.exec(query.data ?? '')
      if (!match || !chatId || !isRecipient(chatId)) {
        await api()!
          .answerCallbackQuery({ callback_query_id: query.id, text: t.notLinked })
          .catch(() => {})
        return
      }
      // A chat linked by a family member acknowledges as that person, like their dashboard does.
      const who =
        outbox.recipientAccountName(chatId) ??
        (query.from.first_name || query.from.username || 'Telegram')
      const result = alerts.acknowledge(Number(match[1]), who)
      await api()!
        .answerCallbackQuery({
          callback_query_id: query.id,
          text:
            result && !result.changed
              ? t.alreadyAcked(result.alert.acknowledged_by ?? '?')
              : t.ackedAnswer
        })
        .catch((err: unknown) =>
          log.warn('telegram: answerCallbackQuery failed', { error: describe(err) })
        )
    }
  }

  return { handleUpdate }
}
