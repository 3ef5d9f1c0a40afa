/**
 * The paced fleet against one core, for finding what holds the event loop under a steady rate:
 * `npx tsx bench/fleet-soak.ts [rate=3333] [seconds=10] [devices=10000] [rounds=2]`. A core with
 * `devices` known devices gets heartbeats at `rate`/s (open loop, 256 sockets, as the bench's
 * fleet runs) and each round prints what was achieved, latency, the event-loop delay, the
 * longest batch transaction and the writer's counters. `SOAK_CPU_PROF=DIR` writes the core's
 * V8 profile there (summarise it with bench/profile.ts).
 */
import { heartbeatsOf } from './lib/bodies'
import { paced } from './lib/paced'
import { DEVICE_KEY } from './lib/paths'
import { serverScript, startServer } from './lib/servers'
import { fmt } from './lib/stats'

const rate = Number(process.argv[2] ?? 3333)
const seconds = Number(process.argv[3] ?? 10)
const devices = Number(process.argv[4] ?? 10_000)
const rounds = Number(process.argv[5] ?? 2)
const server = await startServer({
  name: 'core-fleet',
  script: serverScript('core.ts'),
  ...(process.env.SOAK_CPU_PROF ? { cpuProfDir: process.env.SOAK_CPU_PROF } : {}),
  env: { BENCH_DEVICE_KEY: DEVICE_KEY, BENCH_SEED_DEVICES: String(devices) }
})
const nextBody = heartbeatsOf(0, devices)
try {
  for (let round = 1; round <= rounds; round++) {
    server.reset()
    const m = await paced({
      port: server.port,
      path: '/api/devices/heartbeat',
      nextBody,
      rate,
      seconds,
      sockets: 256
    })
    const s = await server.stats()
    console.log(
      `round ${round}: ${((m.requestsPerSecond / rate) * 100).toFixed(1)} % of ${fmt(rate)}/s, ` +
        `failed ${m.failed}, p50 ${fmt(m.latencyMs.p50, 1)} ms, p99 ${fmt(m.latencyMs.p99, 1)} ms, ` +
        `client lag p99 ${fmt(m.clientLagMs.p99, 1)} ms; ELD p50 ${fmt(s.eldP50Ms ?? NaN, 1)} ` +
        `p99 ${fmt(s.eldP99Ms ?? NaN, 1)} max ${fmt(s.eldMaxMs ?? NaN)} ms; longest batch ` +
        `${fmt(s.longestCommitMs ?? NaN, 1)} ms; batches ${s.batches}, soft ${s.softCommits}, ` +
        `checkpoints ${s.checkpoints}; RSS ${fmt(s.rssMb ?? NaN)} MB`
    )
  }
} finally {
  console.log('stored:', await server.stop())
}
