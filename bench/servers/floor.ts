/**
 * The floor: the least an Express 5 + better-sqlite3 server can do for a heartbeat. It parses the
 * JSON body and runs one prepared upsert with the core's durability settings (WAL,
 * synchronous=FULL: one fsync per commit), then answers {ok:true}. Pastillero's heartbeat is
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
db.pragma(`synchronous = ${process.env.BENCH_SYNCHRONOUS === 'OFF' ? 'OFF' : 'FULL'}`)
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
  ) STRICT`)
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
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { devices: row.devices, heartbeats: row.heartbeats ?? 0 }
})
