/**
 * Events back to back against one core, round after round (the reproduction of issue 12's
 * stalled events round): `npx tsx bench/events-soak.ts [rounds=4] [seconds=10] [dataDir]`.
 * Each round prints req/s, errors, CPU per request, the writer's counters (batches, fsyncs,
 * checkpoints, the most WAL frames seen), the event-loop delay and the WAL file's size. A core
 * that stops answering shows as a round with 0 req/s and timeouts. With a data dir given, the
 * database is kept there for inspection. `SOAK_KIND=heartbeat` sends heartbeats instead;
 * `SOAK_CPU_PROF=DIR` writes the core's V8 profile there (summarise it with bench/profile.ts).
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { fleetBodies } from './lib/bodies'
import { cannon } from './lib/cannon'
import { DEVICE_KEY } from './lib/paths'
import { serverScript, startServer } from './lib/servers'
import { fmt } from './lib/stats'

const rounds = Number(process.argv[2] ?? 4)
const seconds = Number(process.argv[3] ?? 10)
const dataDir = process.argv[4]
const server = await startServer({
  name: 'core-events',
  script: serverScript('core.ts'),
  ...(process.env.SOAK_CPU_PROF ? { cpuProfDir: process.env.SOAK_CPU_PROF } : {}),
  env: {
    BENCH_DEVICE_KEY: DEVICE_KEY,
    BENCH_SEED_DEVICES: '1000',
    ...(dataDir ? { BENCH_DATA_DIR: dataDir } : {})
  }
})
const bodies = fleetBodies(1000)
const heartbeats = process.env.SOAK_KIND === 'heartbeat'
try {
  for (let round = 1; round <= rounds; round++) {
    server.reset()
    const m = await cannon({
      port: server.port,
      path: heartbeats ? '/api/devices/heartbeat' : '/api/events/',
      nextBody: heartbeats ? bodies.nextHeartbeat : bodies.nextEvent,
      connections: 64,
      seconds,
      server
    })
    const s = await server.stats()
    const wal = dataDir
      ? `, WAL ${fmt(statSync(join(dataDir, 'pastillero.db-wal')).size / 2 ** 20, 1)} MB`
      : ''
    console.log(
      `round ${round}: ${fmt(m.requestsPerSecond)} req/s, errors ${m.errors}, timeouts ${m.timeouts}, ` +
        `CPU ${fmt(m.cpuMicrosPerRequest ?? NaN)} µs/req, ELD p99 ${fmt(s.eldP99Ms ?? NaN, 1)} ms ` +
        `max ${fmt(s.eldMaxMs ?? NaN)} ms; batches ${s.batches}, jobs ${s.jobs}, fsyncs ${s.fsyncs}, ` +
        `checkpoints ${s.checkpoints}, most WAL frames ${s.maxWalFrames}${wal}`
    )
  }
} finally {
  console.log('stored:', await server.stop())
}
