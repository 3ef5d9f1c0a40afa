/**
 * The floor: the least an Express 5 + better-sqlite3 server can do for a heartbeat. It parses the
 * JSON body and runs one prepared upsert (WAL; synchronous=FULL by default: one fsync per
 * commit; BENCH_SYNCHRONOUS=NORMAL: no fsync, the floor issue 12 compares against), then answers
 * {ok:true}. `POST /api/events/` is the events floor: one INSERT with a unique event_id. Pastillero's heartbeat is
 * compared against this, so the ratio shows what validation, auth, commands and live updates cost
 * on top of the unavoidable HTTP + JSON + durable write.
 */
import Database from 'better-sqlite3'
import express from 'express'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { announceReady, onStop } from './protocol'

const dir = mkdtempSync(join(tmpdir(), 'pastillero-bench-floor-'))
const db = new Database(join(dir, 'floor.db'))
// The same PRAGMAs as src/main/core/store/db.ts.
db.pragma('journal_mode = WAL')
// BENCH_SYNCHRONOUS=OFF (bench --synchronous off) is a diagnostic: without the fsync per commit
// the comparison shows CPU overhead alone, free of the disk's noise.
const synchronous = process.env.BENCH_SYNCHRONOUS ?? 'FULL'
db.pragma(`synchronous = ${['OFF', 'NORMAL'].includes(synchronous) ? synchronous : 'FULL'}`)
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.exec(`
  CREATE TABLE devices (
    device_id        TEXT PRIMARY KEY,
    name             TEXT,
    firmware_version TEXT,
    ip_address       TEXT,
    status           TEXT,
    last_seen        TEXT NOT NULL,
    heartbeats       INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    payload     TEXT,
    event_id    TEXT,
    received_at TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX events_device_event_id ON events (device_id, event_id)`)
const insertEvent = db.prepare<{
  device_id: unknown
  type: unknown
  payload: string | null
  event_id: unknown
  now: string
}>(`
  INSERT INTO events (device_id, type, payload, event_id, received_at)
  VALUES (@device_id, @type, @payload, @event_id, @now)
  ON CONFLICT (device_id, event_id) DO NOTHING RETURNING id`)
const upsert = db.prepare<{
  device_id: unknown
  name: unknown
  firmware_version: unknown
  ip_address: unknown
  status: unknown
  now: string
}>(`
  INSERT INTO devices (device_id, name, firmware_version, ip_address, status, last_seen, heartbeats)
  VALUES (@device_id, @name, @firmware_version, @ip_address, @status, @now, 1)
  ON CONFLICT (device_id) DO UPDATE SET
    name = excluded.name, firmware_version = excluded.firmware_version,
    ip_address = excluded.ip_address, status = excluded.status,
    last_seen = excluded.last_seen, heartbeats = devices.heartbeats + 1`)

const app = express()
app.use(express.json())
app.post('/api/devices/heartbeat', (req, res) => {
  const b = req.body as Record<string, unknown>
  upsert.run({
    device_id: b.device_id,
    name: b.name ?? null,
    firmware_version: b.firmware_version ?? null,
    ip_address: b.ip_address ?? null,
    status: b.status ?? null,
    now: new Date().toISOString()
  })
  res.json({ ok: true })
})
app.post('/api/events/', (req, res) => {
  const b = req.body as Record<string, unknown>
  const row = insertEvent.get({
    device_id: b.device_id,
    type: b.type,
    payload: b.payload ? JSON.stringify(b.payload) : null,
    event_id: b.event_id ?? null,
    now: new Date().toISOString()
  }) as { id: number } | undefined
  res.json({ ok: true, id: row?.id ?? 0 })
})

const server = app.listen(0, '127.0.0.1', () => {
  announceReady('floor', (server.address() as AddressInfo).port)
})

onStop(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  const row = db
    .prepare('SELECT COUNT(*) AS devices, SUM(heartbeats) AS heartbeats FROM devices')
    .get() as {
    devices: number
    heartbeats: number | null
  }
  const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { devices: row.devices, heartbeats: row.heartbeats ?? 0, events }
})
