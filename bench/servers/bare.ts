/**
 * The limit on Node: bare `node:http`, no framework, one prepared statement per request with
 * synchronous=NORMAL (no fsync), the same tables as the floor. Nothing a real server needs
 * (validation, auth, error envelopes) is here: it shows how much of a request is Node's own.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { announceReady, onStop } from './protocol'

const dir = mkdtempSync(join(tmpdir(), 'pastillero-bench-bare-'))
const db = new Database(join(dir, 'bare.db'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec(`
  CREATE TABLE devices (
    device_id TEXT PRIMARY KEY, name TEXT, firmware_version TEXT, ip_address TEXT, status TEXT,
    last_seen TEXT NOT NULL, heartbeats INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE events (
    id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT,
    event_id TEXT, received_at TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX events_device_event_id ON events (device_id, event_id)`)
const upsert = db.prepare(`
  INSERT INTO devices (device_id, name, firmware_version, ip_address, status, last_seen, heartbeats)
  VALUES (?, ?, ?, ?, ?, ?, 1)
  ON CONFLICT (device_id) DO UPDATE SET
    name = excluded.name, firmware_version = excluded.firmware_version,
    ip_address = excluded.ip_address, status = excluded.status,
    last_seen = excluded.last_seen, heartbeats = devices.heartbeats + 1`)
const insertEvent = db.prepare(`
  INSERT INTO events (device_id, type, payload, event_id, received_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (device_id, event_id) DO NOTHING RETURNING id`)

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
    let body: string
    if (req.url === '/api/events/') {
      const row = insertEvent.get(
        b.device_id,
        b.type,
        b.payload ? JSON.stringify(b.payload) : null,
        b.event_id ?? null,
        new Date().toISOString()
      ) as { id: number } | undefined
      body = `{"ok":true,"id":${row?.id ?? 0}}`
    } else {
      upsert.run(
        b.device_id,
        b.name ?? null,
        b.firmware_version ?? null,
        b.ip_address ?? null,
        b.status ?? null,
        new Date().toISOString()
      )
      body = '{"ok":true}'
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 65_000
server.listen(0, '127.0.0.1', () => announceReady('bare', (server.address() as AddressInfo).port))

onStop(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  const row = db
    .prepare('SELECT COUNT(*) AS devices, SUM(heartbeats) AS heartbeats FROM devices')
    .get() as { devices: number; heartbeats: number | null }
  const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { devices: row.devices, heartbeats: row.heartbeats ?? 0, events }
})
