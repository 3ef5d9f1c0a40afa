/**
 * Builds a Pastillero data dir whose database holds a long history: `devices` dispensers and
 * `events` events spread over `days` days, ending now. The schema comes from the core's own
 * migrations (openDatabase), so the file is exactly what a real install would have after years of
 * use; the rows are inserted with one prepared statement inside one transaction.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { deviceIdFor, deviceNameFor, ipAddressFor } from '../../scripts/simulator/identity'
import { openDatabase } from '../../src/main/core/store/db'

export interface HistoryOptions {
  events: number
  devices: number
  days: number
  /** Device ids are deviceIdFor(i, seed): the heartbeat runs use the same 'bench' fleet. */
  seed?: string
  /**
   * The last device joined this many days ago (default 7): its history is short, the way a
   * dispenser added last week looks next to ones that have run for years.
   */
  newDeviceDays?: number
}

export interface HistoryInfo {
  dataDir: string
  dbFile: string
  events: number
  devices: number
  deviceIds: string[]
  /** The device added `newDeviceDays` ago (the last one). */
  newDeviceId: string
  from: string
  to: string
  /** Wall time of the generation (rows, then indexes), in ms, and the database size in bytes. */
  generateMs: number
  insertMs: number
  indexMs: number
  bytes: number
  /** Events of each type, to know how deep a filtered history goes. */
  byType: Record<string, number>
  byDeviceAndType: Record<string, number>
}

// Weights per type: an alarm usually ends in a dose taken, sometimes only acknowledged.
const TYPES: Array<[string, number]> = [
  ['alarm_triggered', 0.34],
  ['dose_taken', 0.33],
  ['alarm_ack', 0.28],
  ['reboot', 0.04],
  ['ota_start', 0.004],
  ['ota_done', 0.004],
  ['ota_fail', 0.002]
]
const LABELS = ['Medicamento mañana', 'Medicamento mediodía', 'Medicamento noche']

/** xorshift32: deterministic, so two runs generate the same history. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x100000000
  }
}

const REBOOT_PAYLOADS = ['power_on', 'watchdog'].map((reason) => JSON.stringify({ reason }))
const OTA_PAYLOAD = JSON.stringify({ version: '1.0.1' })
const ALARM_PAYLOADS = LABELS.flatMap((alarm_label) =>
  [1, 2, 3, 4].map((compartment) => JSON.stringify({ alarm_label, compartment }))
)

function payloadFor(type: string, random: () => number): string {
  if (type === 'reboot') return REBOOT_PAYLOADS[random() < 0.8 ? 0 : 1]!
  if (type.startsWith('ota_')) return OTA_PAYLOAD
  return ALARM_PAYLOADS[Math.floor(random() * ALARM_PAYLOADS.length)]!
}

export function generateHistory(dataDir: string, options: HistoryOptions): HistoryInfo {
  const started = performance.now()
  mkdirSync(dataDir, { recursive: true })
  const dbFile = join(dataDir, 'pastillero.db')
  if (existsSync(dbFile)) throw new Error(`${dbFile} already exists`)
  const db = openDatabase(dbFile)
  // Generation only: no journal and no fsync while bulk loading, a page cache large enough for the
  // indexes, and the indexes built once at the end (sorting beats a million random B-tree
  // inserts). The file is put back in WAL mode with the same indexes, as the core expects.
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL"
    )
    .all()
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`)
  const seed = options.seed ?? 'bench'
  const random = rng(0x5eed)
  const deviceIds = Array.from({ length: options.devices }, (_, i) => deviceIdFor(i, seed))
  const to = Date.now()
  const from = to - options.days * 24 * 3600 * 1000
  const step = (to - from) / options.events
  const newSince = to - (options.newDeviceDays ?? 7) * 24 * 3600 * 1000
  const newDevice = options.devices - 1
  const byType: Record<string, number> = {}
  const byDeviceAndType: Record<string, number> = {}
  const sequence = new Array<number>(options.devices).fill(0)

  const insertDevice = db.prepare(`
    INSERT INTO devices (device_id, name, firmware_version, ip_address, status, first_seen,
      last_seen, heartbeats, chip)
    VALUES (?, ?, '1.0.0', ?, 'online', ?, ?, ?, 'ESP32')`)
  const insertEvent = db.prepare(`
    INSERT INTO events (device_id, type, payload, device_time, occurred_at, event_id, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`)
  db.transaction(() => {
    const lastSeen = new Date(to).toISOString()
    deviceIds.forEach((id, i) => {
      const since = i === newDevice ? newSince : from
      insertDevice.run(
        id,
        deviceNameFor(i, options.devices),
        ipAddressFor(i),
        new Date(since).toISOString(),
        lastSeen,
        Math.round((to - since) / 30_000) // one heartbeat every 30 s
      )
    })
    for (let i = 0; i < options.events; i++) {
      // Evenly spread and increasing, as rows arrive in time order: ids follow occurred_at.
      const at = Math.floor(from + i * step)
      const device = Math.floor(
        random() * (at < newSince && options.devices > 1 ? options.devices - 1 : options.devices)
      )
      const r = random()
      let type = TYPES[0]![0]
      for (let acc = 0, t = 0; t < TYPES.length; t++) {
        acc += TYPES[t]![1]
        if (r < acc || t === TYPES.length - 1) {
          type = TYPES[t]![0]
          break
        }
      }
      const occurred = new Date(at).toISOString()
      const received = new Date(at + 50 + Math.floor(random() * 400)).toISOString()
      const deviceId = deviceIds[device]!
      insertEvent.run(
        deviceId,
        type,
        payloadFor(type, random),
        occurred,
        occurred,
        `gen-${(sequence[device]!++).toString(36)}`,
        received
      )
      byType[type] = (byType[type] ?? 0) + 1
      const key = `${deviceId} ${type}`
      byDeviceAndType[key] = (byDeviceAndType[key] ?? 0) + 1
    }
  })()
  const loaded = performance.now()
  for (const index of indexes) db.exec(index.sql)
  const indexed = performance.now()
  // No ANALYZE: the core never runs it, so the query planner sees what it would on a real box.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')

  const bytes =
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number)
  db.close()
  return {
    dataDir,
    dbFile,
    events: options.events,
    devices: options.devices,
    deviceIds,
    newDeviceId: deviceIds[newDevice]!,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    generateMs: performance.now() - started,
    insertMs: loaded - started,
    indexMs: indexed - loaded,
    bytes,
    byType,
    byDeviceAndType
  }
}
