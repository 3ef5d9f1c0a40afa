/**
 * Step `heartbeat`: POST /api/devices/heartbeat and POST /api/events/ against the floor (bare
 * Express 5 + one prepared upsert, same PRAGMAs), each server in its own child process, autocannon
 * here. Rounds alternate the order of targets and the best run of each counts, to damp a noisy
 * machine; the stored rows are checked against the 2xx answers.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { summariseProfile } from '../profile'
import { fleetBodies } from '../lib/bodies'
import { cannon, type CannonRun } from '../lib/cannon'
import type { Context } from '../lib/context'
import { DEVICE_KEY, RESULTS_DIR } from '../lib/paths'
import { serverScript, startServer, type RunningServer } from '../lib/servers'
import { fmt, median, ms, ratio, table } from '../lib/stats'

type TargetName = 'floor' | 'heartbeat' | 'events'

interface Target {
  name: TargetName
  label: string
  server: RunningServer
  path: string
  nextBody: () => string
}

interface Measurement extends CannonRun {
  target: TargetName
  round: number
}

export async function runThroughput(ctx: Context): Promise<Record<string, unknown>> {
  const o = ctx.options
  const profileDir = (name: string) => (o.cpuProf ? join(RESULTS_DIR, 'profiles', name) : undefined)
  const env = { BENCH_DEVICE_KEY: DEVICE_KEY, BENCH_SYNCHRONOUS: o.synchronous }
  const bodies = fleetBodies(o.devices)
  ctx.log(
    `${o.rounds} rounds × ${o.durationS} s per target, ${o.connections} connections, ` +
      `${o.devices} device ids, ${o.warmupS} s warm-up, synchronous=${o.synchronous}`
  )

  const servers: RunningServer[] = []
  const start = async (name: string, script: string) => {
    const s = await startServer({
      name,
      script: serverScript(script),
      env,
      cpuProfDir: profileDir(name)
    })
    servers.push(s)
    return s
  }
  let stored: Record<TargetName, Record<string, number>>
  const runs: Measurement[] = []
  const answered: Record<TargetName, { ok: number; runs: number }> = {
    floor: { ok: 0, runs: 0 },
    heartbeat: { ok: 0, runs: 0 },
    events: { ok: 0, runs: 0 }
  }
  const order: TargetName[] = ['floor', 'heartbeat', 'events']
  const peakRssMb: Partial<Record<TargetName, number>> = {}
  try {
    const floor = await start('floor', 'floor.ts')
    // One core per target: the events table grows during its runs, and must not slow heartbeats.
    const heartbeatCore = await start('core-heartbeat', 'core.ts')
    const eventsCore = await start('core-events', 'core.ts')
    const targets: Record<TargetName, Target> = {
      floor: {
        name: 'floor',
        label: 'floor (Express + 1 upsert)',
        server: floor,
        path: '/api/devices/heartbeat',
        nextBody: bodies.nextHeartbeat
      },
      heartbeat: {
        name: 'heartbeat',
        label: 'POST /api/devices/heartbeat',
        server: heartbeatCore,
        path: '/api/devices/heartbeat',
        nextBody: bodies.nextHeartbeat
      },
      events: {
        name: 'events',
        label: 'POST /api/events/',
        server: eventsCore,
        path: '/api/events/',
        nextBody: bodies.nextEvent
      }
    }
    const measure = async (t: Target, seconds: number, round: number) => {
      const m: Measurement = {
        target: t.name,
        round,
        ...(await cannon({
          port: t.server.port,
          path: t.path,
          nextBody: t.nextBody,
          connections: o.connections,
          seconds,
          server: t.server
        }))
      }
      answered[t.name].ok += m.requests2xx
      answered[t.name].runs++
      return m
    }

    // One sanity request per target before timing anything: the body must be accepted.
    for (const name of order) {
      const t = targets[name]
      const res = await fetch(`http://127.0.0.1:${t.server.port}${t.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
        body: t.nextBody()
      })
      const text = await res.text()
      if (res.status !== 200 || !text.includes('"ok":true'))
        throw new Error(`${t.label} refused a bench request: ${res.status} ${text}`)
      answered[name].ok++
    }
    if (o.warmupS > 0) {
      for (const name of order) {
        ctx.log(`warming up ${targets[name].label}…`)
        await measure(targets[name], o.warmupS, 0)
      }
    }
    for (let round = 1; round <= o.rounds; round++) {
      // Odd rounds floor first, even rounds floor last: a drift in machine speed hits both sides.
      const sequence = round % 2 === 1 ? order : [...order].reverse()
      for (const name of sequence) {
        const m = await measure(targets[name], o.durationS, round)
        runs.push(m)
        ctx.log(
          `round ${round} ${targets[name].label}: ${fmt(m.requestsPerSecond)} req/s, ` +
            `p50 ${ms(m.latencyMs.p50)} ms, p99 ${ms(m.latencyMs.p99)} ms, ` +
            `server CPU ${fmt(m.cpuMicrosPerRequest ?? NaN)} µs/req, ` +
            `non-2xx ${m.non2xx}, errors ${m.errors}`
        )
      }
    }
    for (const name of order) peakRssMb[name] = targets[name].server.memory()?.hwmMb
    stored = {
      floor: await floor.stop(),
      heartbeat: await heartbeatCore.stop(),
      events: await eventsCore.stop()
    }
    servers.length = 0
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()))
  }

  const best = Object.fromEntries(
    order.map((name) => [
      name,
      runs
        .filter((r) => r.target === name)
        .reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a))
    ])
  ) as Record<TargetName, Measurement>
  const vsFloor = (name: TargetName) => best[name].requestsPerSecond / best.floor.requestsPerSecond
  // Per-round ratios pair each target with the floor run closest in time; their median shrugs off
  // a round where the machine was busy during one side only.
  const paired = (name: TargetName, key: (m: Measurement) => number) =>
    median(
      Array.from({ length: o.rounds }, (_, i) => {
        const inRound = (t: TargetName) => runs.find((r) => r.target === t && r.round === i + 1)!
        return key(inRound(name)) / key(inRound('floor'))
      })
    )
  const pairedRps = (name: TargetName) => paired(name, (m) => m.requestsPerSecond)
  const pairedP99 = (name: TargetName) => paired(name, (m) => m.latencyMs.p99)
  const medianP99 = (name: TargetName) =>
    median(runs.filter((r) => r.target === name).map((r) => r.latencyMs.p99))
  const leastCpu = (name: TargetName) =>
    Math.min(...runs.filter((r) => r.target === name).map((r) => r.cpuMicrosPerRequest ?? NaN))
  const sum = (name: TargetName, key: 'non2xx' | 'errors') =>
    runs.filter((r) => r.target === name).reduce((n, r) => n + r[key], 0)
  const labels: Record<TargetName, string> = {
    floor: 'floor (Express + 1 upsert)',
    heartbeat: 'POST /api/devices/heartbeat',
    events: 'POST /api/events/'
  }

  const rows = [
    [
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'errors',
      'vs floor',
      'paired',
      'CPU µs/req',
      'CPU vs floor',
      'peak RSS MB'
    ]
  ]
  for (const name of order) {
    const m = best[name]
    rows.push([
      labels[name],
      fmt(m.requestsPerSecond),
      ms(m.latencyMs.p50),
      ms(m.latencyMs.p99),
      String(sum(name, 'non2xx')),
      String(sum(name, 'errors')),
      `${vsFloor(name).toFixed(2)}×`,
      `${pairedRps(name).toFixed(2)}×`,
      fmt(leastCpu(name)),
      ratio(leastCpu(name), leastCpu('floor')),
      fmt(peakRssMb[name] ?? NaN)
    ])
  }
  ctx.log(`\nbest of ${o.rounds} (${o.durationS} s each):\n${table(rows)}`)

  const heartbeatTarget = 0.9
  for (const name of ['heartbeat', 'events'] as const) {
    ctx.figure({
      step: 'heartbeat',
      name: `${labels[name]} throughput`,
      value: `${fmt(best[name].requestsPerSecond)} req/s`,
      baseline: `floor ${fmt(best.floor.requestsPerSecond)} req/s`,
      ratio: `${vsFloor(name).toFixed(2)}× (paired ${pairedRps(name).toFixed(2)}×)`,
      target: name === 'heartbeat' ? `≥ ${heartbeatTarget}× floor` : '–',
      met: name === 'heartbeat' ? vsFloor(name) >= heartbeatTarget : undefined
    })
    ctx.figure({
      step: 'heartbeat',
      name: `${labels[name]} p99 (saturated, ${o.connections} conns)`,
      value: `${ms(medianP99(name))} ms`,
      baseline: `floor ${ms(medianP99('floor'))} ms`,
      ratio: `${(medianP99(name) / medianP99('floor')).toFixed(2)}× (paired ${pairedP99(name).toFixed(2)}×)`,
      target: '–'
    })
    ctx.figure({
      step: 'heartbeat',
      name: `${labels[name]} server CPU per request`,
      value: `${fmt(leastCpu(name))} µs`,
      baseline: `floor ${fmt(leastCpu('floor'))} µs`,
      ratio: ratio(leastCpu(name), leastCpu('floor')),
      target: '–'
    })
  }

  // Every 2xx must be a stored row, or the bench measured something cheaper than the real work.
  // autocannon drops the requests still in flight when a run ends, so a server may have stored
  // up to `connections` more per run than were counted.
  const storedCounts: Record<TargetName, number> = {
    floor: stored.floor.heartbeats ?? 0,
    heartbeat: stored.heartbeat.heartbeats ?? 0,
    events: stored.events.events ?? 0
  }
  const accounting = order.map((name) => {
    const { ok, runs: n } = answered[name]
    const extra = storedCounts[name] - ok
    return {
      target: name,
      answered2xx: ok,
      stored: storedCounts[name],
      consistent: extra >= 0 && extra <= n * o.connections
    }
  })
  ctx.log(
    `stored vs answered 2xx: ${accounting
      .map((a) => `${a.target} ${a.stored}/${a.answered2xx}${a.consistent ? '' : ' (MISMATCH)'}`)
      .join(', ')} (devices: floor ${stored.floor.devices}, core ${stored.heartbeat.devices})`
  )

  if (o.cpuProf) {
    for (const name of ['floor', 'core-heartbeat', 'core-events']) {
      const dir = join(RESULTS_DIR, 'profiles', name)
      const main = readdirSync(dir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      ctx.log(`\n${summariseProfile(main ? join(dir, main) : dir, name)}`)
    }
  }

  const mismatched = accounting.filter((a) => !a.consistent)
  if (mismatched.length > 0)
    ctx.broken.push(
      `heartbeat: stored rows do not match answered requests for ${mismatched.map((a) => a.target).join(', ')}`
    )
  const invalid = runs.filter((r) => r.non2xx > 0 || r.errors > 0)
  if (invalid.length > 0)
    ctx.broken.push(`heartbeat: ${invalid.length} run(s) had non-2xx responses or errors`)

  return {
    best: Object.fromEntries(
      order.map((name) => [name, { ...best[name], label: labels[name], vsFloor: vsFloor(name) }])
    ),
    heartbeatVsFloor: vsFloor('heartbeat'),
    heartbeatTarget,
    pairedVsFloor: Object.fromEntries(order.map((name) => [name, pairedRps(name)])),
    cpuMicrosPerRequest: Object.fromEntries(order.map((name) => [name, leastCpu(name)])),
    peakRssMb,
    stored,
    accounting,
    runs
  }
}

/** Profiles from an earlier run would be mistaken for this one's. */
export function clearProfiles(): void {
  rmSync(join(RESULTS_DIR, 'profiles'), { recursive: true, force: true })
}
