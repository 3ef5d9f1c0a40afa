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
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { deviceIdFor } from '../../scripts/simulator/identity'
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
  if (Number(process.env.BENCH_SEED_DEVICES ?? 0) > 0) {
    // Seeding needs the schema: a first core creates it, then closes.
    const first = createCore({
      defaultDataDir: dir,
      logger: createLogger('bench', silentSink),
      env: { API_SECRET_KEY: 'bench-seed' },
      flags: { port: 0, host: '127.0.0.1', dataDir: dir }
    })
    const db = first.db
    const insert = db.prepare(
      'INSERT OR IGNORE INTO devices (device_id, name, first_seen, last_seen, heartbeats) VALUES (?, ?, ?, ?, 1)'
    )
    const now = new Date().toISOString()
    const n = Number(process.env.BENCH_SEED_DEVICES)
    db.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(deviceIdFor(i, 'bench'), `Pastillero ${i}`, now, now)
    })()
    await first.stop()
  }
  core = createCore({
    defaultDataDir: dir,
    logger: createLogger('bench', silentSink),
    env: {
      API_SECRET_KEY: process.env.BENCH_DEVICE_KEY ?? 'bench-device-key-0123456789',
      ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD ?? 'bench-admin-password'
    },
    flags: { port: 0, host: '127.0.0.1', dataDir: dir },
    eventRateLimit: { capacity: 1e9, perSecond: 1e9 },
    // The device-trust limits (new ids per minute, heartbeats per device) likewise.
    deviceLimits: {
      newDevices: { capacity: 1e9, perSecond: 1e9 },
      heartbeats: { capacity: 1e9, perSecond: 1e9 },
      maxPending: 1e9
    }
  })
  // Diagnostic only (bench --synchronous off): the core itself always opens with FULL.
  if (process.env.BENCH_SYNCHRONOUS === 'OFF') core.db.pragma('synchronous = OFF')
  info = await core.start()
  // New dispensers are adopted while the window is open: the bench's fleet arrives with the key.
  core.services.deviceTrust.setAdoption(true, 24 * 60)
} catch (err) {
  cleanUp() // do not leave a temp dir per failed start
  throw err
}
announceReady(process.env.BENCH_NAME ?? 'core', info.port)

// Event-loop delay at 1 ms resolution: what every other request (dashboard, OTA) would wait.
const loop = monitorEventLoopDelay({ resolution: 1 })
loop.enable()
/** Where the RSS is: the V8 heap (used, and what V8 holds for it), and memory outside it. */
function memoryBreakdown(): Record<string, number> {
  const m = process.memoryUsage()
  return {
    heapUsedMb: m.heapUsed / 2 ** 20,
    heapTotalMb: m.heapTotal / 2 ** 20,
    externalMb: m.external / 2 ** 20
  }
}
const stats = {
  read: () => ({
    eldP50Ms: loop.percentile(50) / 1e6,
    eldP99Ms: loop.percentile(99) / 1e6,
    eldMaxMs: loop.max / 1e6,
    rssMb: process.memoryUsage.rss() / 2 ** 20,
    ...memoryBreakdown(),
    batches: core.writer.stats.batches,
    jobs: core.writer.stats.jobs,
    fsyncs: core.writer.stats.fsyncs,
    softCommits: core.writer.stats.softCommits,
    checkpoints: core.writer.stats.checkpoints,
    maxWalFrames: core.writer.stats.maxWalFrames,
    longestCommitMs: core.writer.stats.longestCommitMs
  }),
  reset: () => {
    loop.reset()
    core.writer.stats.longestCommitMs = 0
  }
}

onStop(async () => {
  await core.writer.flush() // the held heartbeats count too
  const count = (sql: string) => (core.db.prepare(sql).get() as { n: number | null }).n ?? 0
  const stored = {
    devices: count('SELECT COUNT(*) AS n FROM devices'),
    heartbeats: count('SELECT SUM(heartbeats) AS n FROM devices'),
    events: count('SELECT COUNT(*) AS n FROM events')
  }
  await core.stop()
  cleanUp()
  return stored
}, stats)
