import { isActionable } from '../../../shared/alert-kinds'
import type { AlertView } from '../../../shared/api-schemas'
import type { DeviceService } from '../devices/device-service'
import type { CoreEventBus } from '../lib/event-bus'
import { isoMillis } from '../lib/time'
import type { SettingsService } from '../settings/settings-service'
import type { Db } from '../store/db'
import {
  BOT_TEXT,
  localTime,
  renderAlert,
  type AlertKind,
  type AlertParams
} from './alert-messages'
import type { OutboxRow, TelegramRepository } from '../telegram/telegram-repository'
import type { AlertRepository, AlertRow } from './alert-repository'

export type AlertService = ReturnType<typeof createAlertService>

export function createAlertService(deps: {
  db: Db
  repo: AlertRepository
  /** Telegram's outbox and recipients: an alert and its messages are written together. */
  outbox: TelegramRepository
  settings: SettingsService
  devices: DeviceService
  bus: CoreEventBus
}) {
  const { db, repo, outbox, settings, devices, bus } = deps

  const toView = (row: AlertRow, deliveries: OutboxRow[]): AlertView => {
    const names = new Map(outbox.recipients().map((r) => [r.chat_id, r.name]))
    return {
      id: row.id,
      kind: row.kind,
      device_id: row.device_id,
      text: row.text,
      params: JSON.parse(row.params) as Record<string, unknown>,
      created_at: row.created_at,
      acknowledged_at: row.acknowledged_at,
      acknowledged_by: row.acknowledged_by,
      resolved_at: row.resolved_at,
      deliveries: deliveries.map((d) => ({
        chat_id: d.chat_id,
        name: names.get(d.chat_id) ?? null,
        status: d.status,
        attempts: d.attempts,
        sent_at: d.sent_at,
        silent: d.silent === null ? null : d.silent === 1,
        last_error: d.last_error
      }))
    }
  }

  const view = (id: number): AlertView | undefined => {
    const row = repo.alert(id)
    return row ? toView(row, outbox.deliveries(id)) : undefined
  }

  /** The suffix a message gets once someone acknowledged it. */
  const ackLine = (row: AlertRow): string => {
    const { language, time_zone } = settings.current()
    return BOT_TEXT[language].acked(
      row.acknowledged_by ?? '?',
      localTime(row.acknowledged_at!, time_zone)
    )
  }

  const raiseTx = db.transaction(
    (
      kind: AlertKind,
      deviceId: string,
      dedupeKey: string,
      params: AlertParams
    ): AlertRow | undefined => {
      const { language, time_zone } = settings.current()
      const now = isoMillis()
      const row = repo.insertAlert({
        kind,
        device_id: deviceId,
        dedupe_key: dedupeKey,
        params: JSON.stringify(params),
        text: renderAlert(kind, params, language, time_zone),
        created_at: now
      })
      if (!row) return undefined
      // The alert and one outbox row per recipient commit together: nothing is half-raised.
      for (const r of outbox.recipients()) {
        outbox.enqueue({
          alert_id: row.id,
          chat_id: r.chat_id,
          action: 'send',
          text: row.text,
          ack_button: isActionable(kind),
          now
        })
      }
      return row
    }
  )

  return {
    deviceName(deviceId: string): string {
      return devices.get(deviceId)?.name ?? deviceId
    },

    /** Raises an alert once per dedupe key; returns it, or undefined when it already existed. */
    raise(
      kind: AlertKind,
      deviceId: string,
      dedupeKey: string,
      params: Omit<AlertParams, 'device_name'>
    ): AlertView | undefined {
      const row = raiseTx(kind, deviceId, dedupeKey, {
        device_name: this.deviceName(deviceId),
        ...params
      })
      if (!row) return undefined
      const alert = view(row.id)!
      bus.emit('alert.created', alert)
      bus.emit('outbox.enqueued', {})
      return alert
    },

    hasKey: (key: string) => repo.hasKey(key),
    unresolvedOfKind: (deviceId: string, kind: AlertKind, since: string) =>
      repo.unresolvedOfKind(deviceId, kind, since),

    /**
     * Closes a missed-dose alert because its dose arrived late: the alert reads "✅ Tomada a las
     * 08:35" in the dashboard, and every Telegram message already sent is edited to say so and
     * loses its "Visto" button (a message still queued is sent that way). `how: 'rang'` closes a
     * "did not ring" alert whose alarm event arrived after all ("🔔 Sí sonó, a las 08:01").
     */
    resolveTaken(
      id: number,
      takenAt: string,
      how: 'taken' | 'rang' = 'taken'
    ): AlertView | undefined {
      const changed = db.transaction(() => {
        const existing = repo.alert(id)
        if (!existing || existing.resolved_at) return false
        const { language, time_zone } = settings.current()
        const params = {
          ...(JSON.parse(existing.params) as AlertParams),
          ...(how === 'taken' ? { taken_at: takenAt } : { rang_at: takenAt })
        }
        const line = BOT_TEXT[language][how === 'taken' ? 'takenAt' : 'rangAt']
        const text = `${existing.text}\n${line(localTime(takenAt, time_zone))}`
        const now = isoMillis()
        const row = repo.resolve(id, now, JSON.stringify(params), text)
        if (!row) return false
        const shown = row.acknowledged_at ? `${text}\n${ackLine(row)}` : text
        for (const d of outbox.deliveries(id)) {
          if (d.status === 'sent' && d.message_id !== null)
            outbox.enqueue({
              alert_id: id,
              chat_id: d.chat_id,
              action: 'edit',
              text: shown,
              ack_button: false,
              message_id: d.message_id,
              now
            })
        }
        return true
      })()
      if (!changed) return undefined
      const alert = view(id)!
      bus.emit('alert.updated', alert)
      bus.emit('outbox.enqueued', {})
      return alert
    },
    latestOfKind: (deviceId: string, kind: AlertKind, since: string) =>
      repo.latestOfKind(deviceId, kind, since),

    /** Marks an alert seen; every message already delivered is edited to say who saw it. */
    acknowledge(id: number, by: string): { alert: AlertView; changed: boolean } | undefined {
      const result = db.transaction(() => {
        const existing = repo.alert(id)
        if (!existing) return undefined
        const row = repo.acknowledge(id, by.slice(0, 100), isoMillis())
        if (!row) return { row: existing, changed: false }
        const now = isoMillis()
        for (const d of outbox.deliveries(id)) {
          if (d.status === 'sent' && d.message_id !== null) {
            outbox.enqueue({
              alert_id: id,
              chat_id: d.chat_id,
              action: 'edit',
              text: `${row.text}\n${ackLine(row)}`,
              ack_button: false,
              message_id: d.message_id,
              now
            })
          }
        }
        return { row, changed: true }
      })()
      if (!result) return undefined
      const alert = view(id)!
      if (result.changed) {
        bus.emit('alert.updated', alert)
        bus.emit('outbox.enqueued', {})
      }
      return { alert, changed: result.changed }
    },

    /** What to send for an outbox row now (an alert acknowledged meanwhile loses its button). */
    outgoing(row: OutboxRow): { text: string; ackButton: boolean } {
      if (row.action === 'send' && row.alert_id !== null) {
        const alert = repo.alert(row.alert_id)
        if (alert?.acknowledged_at)
          return { text: `${alert.text}\n${ackLine(alert)}`, ackButton: false }
        if (alert?.resolved_at) return { text: alert.text, ackButton: false }
      }
      return { text: row.text, ackButton: row.with_ack_button === 1 }
    },

    list(filter: {
      device_id?: string
      open?: boolean
      before_id?: number
      limit: number
    }): AlertView[] {
      const rows = repo.list(filter)
      const deliveries = outbox.deliveriesFor(rows.map((r) => r.id))
      return rows.map((r) => toView(r, deliveries.get(r.id) ?? []))
    },
    get: view,
    openCounts: () => repo.openCounts(),
    /** Re-reads an alert after its deliveries changed, for the live stream. */
    announceDeliveryChange(alertId: number | null): void {
      if (alertId === null) return
      const alert = view(alertId)
      if (alert) bus.emit('alert.updated', alert)
    }
  }
}
