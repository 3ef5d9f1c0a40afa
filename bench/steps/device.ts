/**
 * Step `device` (issue 12): the device write path against the Express floor with
 * synchronous=NORMAL, the bare node:http limit, paced fleet rates, event-loop delay, RSS with
 * 100,000 known devices and fsyncs per acknowledged event batch. FULL-durability events
 * (the floor with synchronous=FULL) are reported beside them.
 *
 * - throughput: autocannon, closed loop, `--device-connections` (64) connections over 1,000
 *   device ids; heartbeats and events; rounds alternate the order; best run and paired ratio.
 * - fleet: open loop (bench/lib/paced.ts) at 2,500/s and 3,333/s over 10,000 known devices,
 *   core and floor; the core's event-loop delay during 3,333/s.
 * - first sight: 3,333 never-seen device ids per second, for `--first-sight` ids (100,000).
 * - memory: RSS with 100,000 known devices, at rest and during 3,333/s over all of them: the
 *   headless server as a user runs it (the built out/main/headless.js, as the `memory` step runs
 *   it: the figure held against the target), and the tsx-loaded core beside it (tsx's loader
 *   alone is 30–60 MB of it).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fleetBodies, heartbeatsOf } from '../lib/bodies'
import { cannon, type CannonRun } from '../lib/cannon'
import type { Context } from '../lib/context'
import { DEVICE_KEY } from '../lib/paths'
import { paced, type PacedRun } from '../lib/paced'
import { startHeadless, type Launcher } from '../lib/headless'
import { readMemory, settledRss, type Memory } from '../lib/proc'
import { serverScript, startServer, type RunningServer } from '../lib/servers'
import { fmt, median, ms, ratio, table } from '../lib/stats'

type Kind = 'heartbeat' | 'events'

interface Target {
  name: string
  kind: Kind
  server: RunningServer
  path: string
  nextBody: () => string
}

const HB = '/api/devices/heartbeat'
const EV = '/api/events/'

export async function runDevice(
  ctx: Context,
  launcher: Launcher
): Promise<Record<string, unknown>> {
  const o = ctx.options
  const connections = o.deviceConnections
  const servers: RunningServer[] = []
  const start = async (name: string, script: string, env: Record<string, string> = {}) => {
    const s = await startServer({
      name,
      script: serverScript(script),
      env: { BENCH_DEVICE_KEY: DEVICE_KEY, ...env }
    })
    servers.push(s)
    return s
  }
  const details: Record<string, unknown> = {}
  try {
    // -- throughput --------------------------------------------------------------------------
    ctx.log(
      `throughput: ${o.rounds} rounds × ${o.durationS} s, ${connections} connections, 1,000 devices`
    )
    const floorNormal = await start('floor-normal', 'floor.ts', { BENCH_SYNCHRONOUS: 'NORMAL' })
    const floorFull = await start('floor-full', 'floor.ts', { BENCH_SYNCHRONOUS: 'FULL' })
    const bare = await start('bare', 'bare.ts')
    const coreHb = await start('core-heartbeat', 'core.ts', { BENCH_SEED_DEVICES: '1000' })
    const coreEv = await start('core-events', 'core.ts', { BENCH_SEED_DEVICES: '1000' })
    const bodies = fleetBodies(1000)
    const targets: Target[] = [
      {
        name: 'floor NORMAL',
        kind: 'heartbeat',
        server: floorNormal,
        path: HB,
        nextBody: bodies.nextHeartbeat
      },
      {
        name: 'bare node:http',
        kind: 'heartbeat',
        server: bare,
        path: HB,
        nextBody: bodies.nextHeartbeat
      },
      {
        name: 'Pastillero',
        kind: 'heartbeat',
        server: coreHb,
        path: HB,
        nextBody: bodies.nextHeartbeat
      },
      {
        name: 'floor NORMAL',
        kind: 'events',
        server: floorNormal,
        path: EV,
        nextBody: bodies.nextEvent
      },
      {
        name: 'floor FULL',
        kind: 'events',
        server: floorFull,
        path: EV,
        nextBody: bodies.nextEvent
      },
      {
        name: 'bare node:http',
        kind: 'events',
        server: bare,
        path: EV,
        nextBody: bodies.nextEvent
      },
      { name: 'Pastillero', kind: 'events', server: coreEv, path: EV, nextBody: bodies.nextEvent }
    ]
    for (const t of targets) {
      const res = await fetch(`http://127.0.0.1:${t.server.port}${t.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
        body: t.nextBody()
      })
      const text = await res.text()
      if (res.status !== 200) throw new Error(`${t.name} ${t.kind} refused: ${res.status} ${text}`)
    }
    const runs: Array<CannonRun & { t: Target; round: number }> = []
    const measure = async (t: Target, seconds: number, round: number) => {
      const m = await cannon({
        port: t.server.port,
        path: t.path,
        nextBody: t.nextBody,
        connections,
        seconds,
        server: t.server
      })
      if (round > 0) runs.push({ ...m, t, round })
      return m
    }
    if (o.warmupS > 0) for (const t of targets) await measure(t, o.warmupS, 0)
    const evBefore = await coreEv.stats()
    for (let round = 1; round <= o.rounds; round++) {
      const sequence = round % 2 === 1 ? targets : [...targets].reverse()
      for (const t of sequence) {
        const m = await measure(t, o.durationS, round)
        ctx.log(
          `round ${round} ${t.kind} ${t.name}: ${fmt(m.requestsPerSecond)} req/s, p99 ` +
            `${ms(m.latencyMs.p99)} ms, CPU ${fmt(m.cpuMicrosPerRequest ?? NaN)} µs/req, ` +
            `non-2xx ${m.non2xx}, errors ${m.errors}`
        )
      }
    }
    const evAfter = await coreEv.stats()
    const of = (t: Target) => runs.filter((r) => r.t === t)
    const best = (t: Target) =>
      of(t).reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a))
    const paired = (t: Target, base: Target) =>
      median(
        Array.from({ length: o.rounds }, (_, i) => {
          const a = of(t).find((r) => r.round === i + 1)!
          const b = of(base).find((r) => r.round === i + 1)!
          return a.requestsPerSecond / b.requestsPerSecond
        })
      )
    const cpu = (t: Target) => Math.min(...of(t).map((r) => r.cpuMicrosPerRequest ?? NaN))
    const rows = [
      [
        'kind',
        'server',
        'req/s (best)',
        'vs floor NORMAL',
        'paired',
        'p99 ms',
        'CPU µs/req',
        'non-2xx'
      ]
    ]
    for (const kind of ['heartbeat', 'events'] as const) {
      const base = targets.find((t) => t.kind === kind && t.name === 'floor NORMAL')!
      for (const t of targets.filter((x) => x.kind === kind)) {
        const b = best(t)
        rows.push([
          kind,
          t.name,
          fmt(b.requestsPerSecond),
          `${(b.requestsPerSecond / best(base).requestsPerSecond).toFixed(2)}×`,
          `${paired(t, base).toFixed(2)}×`,
          ms(median(of(t).map((r) => r.latencyMs.p99))),
          fmt(cpu(t)),
          String(of(t).reduce((n, r) => n + r.non2xx + r.errors, 0))
        ])
      }
      const core = targets.find((t) => t.kind === kind && t.name === 'Pastillero')!
      const vs = best(core).requestsPerSecond / best(base).requestsPerSecond
      const target = kind === 'heartbeat' ? 1.2 : 1.0
      ctx.figure({
        step: 'device',
        name: `${kind} throughput, ${connections} conns, 1,000 devices`,
        value: `${fmt(best(core).requestsPerSecond)} req/s`,
        baseline: `Express floor NORMAL ${fmt(best(base).requestsPerSecond)} req/s`,
        ratio: `${vs.toFixed(2)}× (paired ${paired(core, base).toFixed(2)}×)`,
        target: `≥ ${target}× (stretch ${kind === 'heartbeat' ? 1.4 : 1.3}×)`,
        met: vs >= target
      })
      const bareT = targets.find((t) => t.kind === kind && t.name === 'bare node:http')!
      ctx.figure({
        step: 'device',
        name: `${kind}: the bare node:http limit`,
        value: `${fmt(best(bareT).requestsPerSecond)} req/s`,
        baseline: `Pastillero ${fmt(best(core).requestsPerSecond)} req/s`,
        ratio: `Pastillero at ${ratio(best(core).requestsPerSecond, best(bareT).requestsPerSecond)} of it`,
        target: '–'
      })
    }
    const evFull = targets.find((t) => t.kind === 'events' && t.name === 'floor FULL')!
    const evCore = targets.find((t) => t.kind === 'events' && t.name === 'Pastillero')!
    ctx.figure({
      step: 'device',
      name: 'events acknowledged after fsync vs the FULL floor (fsync per request)',
      value: `${fmt(best(evCore).requestsPerSecond)} req/s`,
      baseline: `floor FULL ${fmt(best(evFull).requestsPerSecond)} req/s`,
      ratio: `${(best(evCore).requestsPerSecond / best(evFull).requestsPerSecond).toFixed(2)}×`,
      target: '–'
    })
    const batches = evAfter.batches! - evBefore.batches!
    const fsyncs = evAfter.fsyncs! - evBefore.fsyncs!
    const jobs = evAfter.jobs! - evBefore.jobs!
    ctx.figure({
      step: 'device',
      name: 'fsyncs per acknowledged event batch (writer counters)',
      value: `${(fsyncs / Math.max(1, batches)).toFixed(2)} (${fmt(jobs / Math.max(1, batches), 1)} events per batch)`,
      baseline: 'floor FULL: 1 fsync per event',
      ratio: `${fmt(jobs / Math.max(1, fsyncs), 1)} events per fsync`,
      target: '1 per batch'
    })
    ctx.log(`\n${table(rows)}`)
    details.throughput = { rows, batches, fsyncs, jobs }
    for (const s of [floorFull, bare, coreHb, coreEv]) {
      await s.stop()
      servers.splice(servers.indexOf(s), 1)
    }

    // -- fleet rates ---------------------------------------------------------------------------
    const fleet = await start('core-fleet', 'core.ts', { BENCH_SEED_DEVICES: '10000' })
    const fleetRows = [
      [
        'server',
        'rate/s',
        'achieved',
        'p50 ms',
        'p99 ms',
        'failed',
        'ELD p99 ms',
        'client lag p99 ms'
      ]
    ]
    const fleetRuns: Record<string, PacedRun & { eldP99Ms?: number }> = {}
    for (const rate of [2500, 3333]) {
      for (const [name, server] of [
        ['floor NORMAL', floorNormal],
        ['Pastillero', fleet]
      ] as const) {
        server.reset()
        const run = await paced({
          port: server.port,
          path: HB,
          nextBody: heartbeatsOf(0, 10_000),
          rate,
          seconds: o.durationS,
          sockets: 256
        })
        const s = await server.stats()
        fleetRuns[`${name} ${rate}`] = { ...run, eldP99Ms: s.eldP99Ms }
        fleetRows.push([
          name,
          fmt(rate),
          `${((run.requestsPerSecond / rate) * 100).toFixed(1)} %`,
          ms(run.latencyMs.p50),
          ms(run.latencyMs.p99),
          String(run.failed),
          s.eldP99Ms === undefined ? '–' : ms(s.eldP99Ms),
          ms(run.clientLagMs.p99)
        ])
        ctx.log(fleetRows.at(-1)!.join('  '))
      }
    }
    ctx.log(`\n${table(fleetRows)}`)
    const core3333 = fleetRuns['Pastillero 3333']!
    const floor2500 = fleetRuns['floor NORMAL 2500']!
    const achieved = core3333.requestsPerSecond / 3333
    ctx.figure({
      step: 'device',
      name: 'fleet 3,333 heartbeats/s from 10,000 known devices',
      value:
        `${(achieved * 100).toFixed(1)} % achieved, p99 ${ms(core3333.latencyMs.p99)} ms ` +
        `(the bench client's own lag p99 ${ms(core3333.clientLagMs.p99)} ms)`,
      baseline: `floor p99 at 2,500/s ${ms(floor2500.latencyMs.p99)} ms; at 3,333/s ${ms(fleetRuns['floor NORMAL 3333']!.latencyMs.p99)} ms`,
      ratio: `p99 ${(core3333.latencyMs.p99 / floor2500.latencyMs.p99).toFixed(2)}× the floor's at 2,500/s`,
      target: '≥ 95 %, p99 ≤ 1.5× (stretch 1.0×)',
      met: achieved >= 0.95 && core3333.latencyMs.p99 <= 1.5 * floor2500.latencyMs.p99
    })
    ctx.figure({
      step: 'device',
      name: 'event-loop delay p99 during 3,333 heartbeats/s',
      value: `${ms(core3333.eldP99Ms ?? NaN)} ms`,
      baseline: `at 2,500/s ${ms(fleetRuns['Pastillero 2500']!.eldP99Ms ?? NaN)} ms`,
      ratio: '–',
      target: '≤ 20 ms (stretch 10 ms)',
      met: (core3333.eldP99Ms ?? Infinity) <= 20
    })
    details.fleet = fleetRuns
    await fleet.stop()
    servers.splice(servers.indexOf(fleet), 1)

    // -- first sight -----------------------------------------------------------------------------
    const newIds = o.firstSight
    const fresh = await start('core-first-sight', 'core.ts')
    fresh.reset()
    const first = await paced({
      port: fresh.port,
      path: HB,
      nextBody: heartbeatsOf(2_000_000, newIds, 1),
      rate: 3333,
      seconds: newIds / 3333,
      sockets: 256,
      maxRequests: newIds
    })
    const freshStats = await fresh.stats()
    const freshStored = await fresh.stop()
    servers.splice(servers.indexOf(fresh), 1)
    ctx.log(
      `first sight: ${fmt(first.sent)} new ids at 3,333/s: ${fmt(first.ok)} ok, ${first.failed} failed, ` +
        `p99 ${ms(first.latencyMs.p99)} ms, ELD p99 ${ms(freshStats.eldP99Ms ?? NaN)} ms, ` +
        `stored ${freshStored.devices} devices`
    )
    ctx.figure({
      step: 'device',
      name: `first sight of ${fmt(newIds)} new devices at 3,333/s`,
      value: `${first.failed} errors, ${fmt(first.ok)} ok, p99 ${ms(first.latencyMs.p99)} ms`,
      baseline: `${fmt(freshStored.devices ?? 0)} device rows stored`,
      ratio: '–',
      target: 'no errors, no timeouts',
      met: first.failed === 0 && freshStored.devices === newIds
    })
    details.firstSight = { ...first, stats: freshStats, stored: freshStored }

    // -- memory with 100,000 known devices ---------------------------------------------------------
    details.memory100k = await memoryWith100k(ctx, launcher, floorNormal)
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()))
  }
  return details
}

interface FleetMemory {
  /** RSS once it stopped moving after the start (100,000 devices loaded). */
  idle: { rssMb: number; settled: boolean }
  /** Highest RSS sampled during the load, and VmHWM (the peak since the process started). */
  loadPeakMb: number
  hwmMb: number
  after?: Memory
  load: PacedRun
}

/** Idle RSS, then 3,333 heartbeats/s over all 100,000 devices, RSS sampled every 100 ms. */
async function fleetMemory(ctx: Context, pid: number, port: number): Promise<FleetMemory> {
  const idle = await settledRss(pid)
  const samples: number[] = []
  const timer = setInterval(() => {
    const m = readMemory(pid)
    if (m) samples.push(m.rssMb)
  }, 100)
  let load: PacedRun
  try {
    load = await paced({
      port,
      path: HB,
      nextBody: heartbeatsOf(0, 100_000),
      rate: 3333,
      seconds: ctx.options.durationS,
      sockets: 256
    })
  } finally {
    clearInterval(timer)
  }
  const after = readMemory(pid)
  if (after) samples.push(after.rssMb)
  return {
    idle: { rssMb: idle.rssMb, settled: idle.settled },
    loadPeakMb: Math.max(...samples),
    hwmMb: after?.hwmMb ?? NaN,
    after,
    load
  }
}

/**
 * RSS with 100,000 known devices. The tsx core seeds them into a data dir (and, started on it,
 * adopts them: every device has its credential row, as on a server that has run a while) and is
 * measured; then the headless server the launcher gives (built: plain node, no loader) starts on
 * that same data dir, once unmeasured (the first start of a day backs the database up), then
 * measured. The figure against the target is the headless one.
 */
export async function memoryWith100k(
  ctx: Context,
  launcher: Launcher,
  floorNormal: RunningServer
): Promise<Record<string, unknown>> {
  const parent = mkdtempSync(join(tmpdir(), 'pastillero-bench-100k-'))
  const dataDir = join(parent, 'data')
  try {
    const core = await startServer({
      name: 'core-100k',
      script: serverScript('core.ts'),
      env: { BENCH_DEVICE_KEY: DEVICE_KEY, BENCH_SEED_DEVICES: '100000', BENCH_DATA_DIR: dataDir }
    })
    let tsxCore: FleetMemory
    try {
      tsxCore = await fleetMemory(ctx, core.pid, core.port)
    } finally {
      await core.stop()
    }
    await (await startHeadless(launcher, dataDir)).stop()
    const server = await startHeadless(launcher, dataDir)
    let headless: FleetMemory
    try {
      headless = await fleetMemory(ctx, server.pid, server.port)
    } finally {
      await server.stop()
    }
    const floorMem = floorNormal.memory()
    const line = (m: FleetMemory) =>
      `peak ${fmt(m.hwmMb)} MB (VmHWM; ${fmt(m.loadPeakMb)} MB sampled during the load), idle ` +
      `${fmt(m.idle.rssMb)} MB${m.idle.settled ? '' : ' (not settled)'}; achieved ` +
      `${((m.load.requestsPerSecond / 3333) * 100).toFixed(1)} %, p99 ${ms(m.load.latencyMs.p99)} ms, ` +
      `failed ${m.load.failed}`
    ctx.log(`memory, 100,000 devices, ${launcher.note}: ${line(headless)}`)
    ctx.log(`memory, 100,000 devices, tsx core: ${line(tsxCore)}`)
    if (headless.load.failed > 0)
      ctx.broken.push(
        `device memory: ${headless.load.failed} heartbeats failed on the headless server`
      )
    ctx.figure({
      step: 'device',
      name:
        `RSS with 100,000 known devices, headless ${launcher.kind} ` +
        '(peak during 3,333/s over all of them)',
      value: `${fmt(headless.hwmMb)} MB (idle ${fmt(headless.idle.rssMb)} MB)`,
      baseline: `floor NORMAL peak ${fmt(floorMem?.hwmMb ?? NaN)} MB (tsx, 1,000–10,000 devices)`,
      ratio:
        `achieved ${((headless.load.requestsPerSecond / 3333) * 100).toFixed(1)} %, ` +
        `p99 ${ms(headless.load.latencyMs.p99)} ms`,
      target: '≤ 250 MB (stretch 180 MB)',
      met: headless.hwmMb <= 250
    })
    ctx.figure({
      step: 'device',
      name: 'RSS with 100,000 known devices, tsx-loaded core (for comparison)',
      value: `${fmt(tsxCore.hwmMb)} MB (idle ${fmt(tsxCore.idle.rssMb)} MB)`,
      baseline: `headless ${launcher.kind} ${fmt(headless.hwmMb)} MB`,
      ratio:
        `achieved ${((tsxCore.load.requestsPerSecond / 3333) * 100).toFixed(1)} %, ` +
        `p99 ${ms(tsxCore.load.latencyMs.p99)} ms`,
      target: '–'
    })
    return { launcher: launcher.note, headless, tsxCore }
  } finally {
    rmSync(parent, { recursive: true, force: true })
  }
}
