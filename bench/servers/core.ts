/**
 * A real Pastillero core (createCore, as the headless server builds it) on 127.0.0.1, port 0.
 * The data dir is BENCH_DATA_DIR when set (kept at the end: the bench owns it), else a fresh temp
 * dir (removed at the end). The device key comes from BENCH_DEVICE_KEY, the admin password from
 * BENCH_ADMIN_PASSWORD. The per-device event rate limit is raised out of the way: the bench
 * measures throughput, not the limiter. Logging is silenced so stdout carries only the protocol
 * lines; the core logs nothing per request anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core, type StartInfo } from '../../src/main/core/core'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import { announceReady, onStop } from './protocol'

const given = process.env.BENCH_DATA_DIR
const dir = given || mkdtempSync(join(tmpdir(), 'pastillero-bench-core-'))
const cleanUp = () => {
  if (!given) rmSync(dir, { recursive: true, force: true })
}
let core: Core
let info: StartInfo
try {
  core = createCore({
    defaultDataDir: dir,
    logger: createLogger('bench', silentSink),
    env: {
      API_SECRET_KEY: process.env.BENCH_DEVICE_KEY ?? 'bench-device-key-0123456789',
      ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD ?? 'bench-admin-password'
    },
    flags: { port: 0, host: '127.0.0.1', dataDir: dir },
    eventRateLimit: { capacity: 1e9, perSecond: 1e9 },
    // Likewise the per-device heartbeat and new-device limits (issue 13): the bench measures
    // throughput over 1,000 device ids, not the limiter.
    deviceLimits: {
      newDevices: { capacity: 1e9, perSecond: 1e9 },
      heartbeats: { capacity: 1e9, perSecond: 1e9 }
    }
  })
  // Diagnostic only (bench --synchronous off): the core itself always opens with FULL.
  if (process.env.BENCH_SYNCHRONOUS === 'OFF') core.db.pragma('synchronous = OFF')
  info = await core.start()
} catch (err) {
  cleanUp() // do not leave a temp dir per failed start
  throw err
}
announceReady(process.env.BENCH_NAME ?? 'core', info.port)

onStop(async () => {
  const count = (sql: string) => (core.db.prepare(sql).get() as { n: number | null }).n ?? 0
  const stored = {
    devices: count('SELECT COUNT(*) AS n FROM devices'),
    heartbeats: count('SELECT SUM(heartbeats) AS n FROM devices'),
    events: count('SELECT COUNT(*) AS n FROM events')
  }
  await core.stop()
  cleanUp()
  return stored
})
