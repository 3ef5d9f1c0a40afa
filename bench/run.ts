/**
 * `npm run bench`: Pastillero's device endpoints against a floor (bare Express 5 + one prepared
 * better-sqlite3 upsert, same PRAGMAs), measured in the same run with autocannon. Each server runs
 * in its own child process, so autocannon's CPU use stays out of the server's event loop. Rounds
 * alternate the order of targets and the best run of each counts, to damp a noisy machine.
 * A report, not a test: it exits 0 whatever the speed, 1 only if the bench itself broke. See
 * bench/README.md.
 */
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { deviceIdFor, ipAddressFor, deviceNameFor } from '../scripts/simulator/identity'
import { summariseProfile } from './profile'
import type { ReadyMessage, StoppedMessage, UsageMessage } from './servers/protocol'

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(BENCH_DIR, '..')
const RESULTS_DIR = join(BENCH_DIR, 'results')
const DEVICE_KEY = 'bench-device-key-0123456789'

const USAGE = `Usage: npm run bench -- [options]

  --duration S      seconds measured per run (default 10)
  --warmup S        seconds of warm-up per server before measuring (default 3)
  --connections N   concurrent keep-alive connections (default 10)
  --rounds N        runs per target; the best counts (default 2)
  --devices N       distinct device ids the requests rotate through (default 200)
  --synchronous M   full (default, as the core runs) or off: a diagnostic that drops the fsync
                    per commit on both sides, to compare CPU cost without the disk's noise
  --cpu-prof        write V8 CPU profiles of the servers to bench/results/profiles and
                    print where the time goes
  -h, --help        show this help
`

interface Options {
  durationS: number
  warmupS: number
  connections: number
  rounds: number
  devices: number
  cpuProf: boolean
  synchronous: 'FULL' | 'OFF'
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        devices: { type: 'string' },
        'cpu-prof': { type: 'boolean' },
        synchronous: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    fail(`${(err as Error).message.split('.')[0]} (see --help)`)
  }
  if (values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const num = (flag: string, fallback: number, min: number, integer: boolean) => {
    const raw = values[flag] as string | undefined
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
      fail(`--${flag} must be ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got "${raw}"`)
    return n
  }
  const synchronous = ((values.synchronous as string | undefined) ?? 'full').toUpperCase()
  if (synchronous !== 'FULL' && synchronous !== 'OFF')
    fail(`--synchronous must be full or off, got "${values.synchronous as string}"`)
  return {
    synchronous,
    durationS: num('duration', 10, 1, true),
    warmupS: num('warmup', 3, 0, true),
    connections: num('connections', 10, 1, true),
    rounds: num('rounds', 2, 1, true),
    devices: num('devices', 200, 1, true),
    cpuProf: values['cpu-prof'] === true
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

interface RunningServer {
  name: string
  port: number
  pid: number
  /** CPU time the server process has used so far, in µs (user + system). */
  cpuMicros(): Promise<number>
  /** Asks the child to stop; resolves with what it stored. */
  stop(): Promise<Record<string, number>>
}

async function startServer(name: string, script: string, options: Options): Promise<RunningServer> {
  // One directory per server: tsx's loader runs in its own thread, which writes a profile too;
  // the request handling is in the main thread's (tid 0 in V8's default file name).
  const profiling = options.cpuProf
    ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS_DIR, 'profiles', name)]
    : []
  // Plain node with tsx's loader (no tsx CLI wrapper process), the same flags for every server.
  const child: ChildProcess = spawn(
    process.execPath,
    [...profiling, '--import', 'tsx', join(BENCH_DIR, 'servers', script)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_DEVICE_KEY: DEVICE_KEY,
        BENCH_NAME: name,
        BENCH_SYNCHRONOUS: options.synchronous
      }
    }
  )
  const lines = createInterface({ input: child.stdout! })
  let onStopped: ((stored: Record<string, number>) => void) | undefined
  const usageWaiters: Array<(micros: number) => void> = []
  const ready = new Promise<ReadyMessage['ready']>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} server exited with code ${code} before it was ready`))
    })
    lines.on('line', (line) => {
      let message: Partial<ReadyMessage & StoppedMessage & UsageMessage>
      try {
        message = JSON.parse(line) as Partial<ReadyMessage & StoppedMessage & UsageMessage>
      } catch {
        process.stderr.write(`[${name}] ${line}\n`)
        return
      }
      if (message.ready) {
        clearTimeout(timer)
        resolveReady(message.ready)
      } else if (message.usage) usageWaiters.shift()?.(message.usage.user + message.usage.system)
      else if (message.stopped) onStopped?.(message.stopped)
    })
  })
  const info = await ready
  return {
    name,
    port: info.port,
    pid: info.pid,
    cpuMicros: () =>
      new Promise((resolveUsage) => {
        usageWaiters.push(resolveUsage)
        child.stdin!.write('usage\n')
      }),
    stop: () =>
      new Promise((resolveStop, reject) => {
        let stored: Record<string, number> = {}
        onStopped = (s) => (stored = s)
        child.removeAllListeners('exit')
        child.once('exit', (code) =>
          code === 0 ? resolveStop(stored) : reject(new Error(`${name} exited with ${code}`))
        )
        child.stdin!.end('stop\n')
      })
  }
}

// ---------------------------------------------------------------------------------------------
// Targets and their request bodies

type TargetName = 'floor' | 'heartbeat' | 'events'

interface Target {
  name: TargetName
  label: string
  server: () => RunningServer
  path: string
  /** A fresh, valid body for every request. */
  nextBody: () => string
}

interface Measurement {
  target: TargetName
  round: number
  requestsPerSecond: number
  requests2xx: number
  non2xx: number
  errors: number
  timeouts: number
  /**
   * Server CPU time (user + system) per answered request. Unlike req/s it hardly depends on how
   * busy the rest of the machine is, nor on how long fsync waits for the disk.
   */
  cpuMicrosPerRequest: number
  /** From our own microsecond timings of every response (autocannon's histogram is in whole ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  durationS: number
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function measure(
  target: Target,
  options: Options,
  seconds: number,
  round: number
): Promise<Measurement> {
  const latencies: number[] = []
  const cpuBefore = await target.server().cpuMicros()
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${target.server().port}`,
        connections: options.connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
        requests: [
          {
            method: 'POST',
            path: target.path,
            // Rebuilt for every request (autocannon does so when setupRequest is set).
            setupRequest: (req) => ({ ...req, body: target.nextBody() })
          }
        ]
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolveRun(res))
    )
    instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
    })
  })
  const cpuAfter = await target.server().cpuMicros()
  const sorted = Float64Array.from(latencies).sort()
  return {
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / Math.max(1, result['2xx']),
    target: target.name,
    round,
    requestsPerSecond: result['2xx'] / result.duration,
    requests2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN
    },
    durationS: result.duration
  }
}

/** One sanity request per target before timing anything: the body must be accepted. */
async function checkOnce(target: Target): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${target.server().port}${target.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
    body: target.nextBody()
  })
  const text = await res.text()
  if (res.status !== 200 || !text.includes('"ok":true'))
    fail(`${target.label} refused a bench request: ${res.status} ${text}`)
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–'

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)
      )
      const text = line.join('  ')
      return i === 0 ? `${text}\n${'-'.repeat(text.length)}` : text
    })
    .join('\n')
}

function describe(m: Measurement): string {
  return (
    `${fmt(m.requestsPerSecond)} req/s, p50 ${fmt(m.latencyMs.p50, 2)} ms, ` +
    `p99 ${fmt(m.latencyMs.p99, 2)} ms, server CPU ${fmt(m.cpuMicrosPerRequest)} µs/req, ` +
    `non-2xx ${m.non2xx}, errors ${m.errors}`
  )
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  mkdirSync(RESULTS_DIR, { recursive: true })
  // Profiles from an earlier run would be mistaken for this one's.
  if (options.cpuProf) rmSync(join(RESULTS_DIR, 'profiles'), { recursive: true, force: true })

  // Same device ids and shapes as the simulator's fleet, so bodies look like real firmware's.
  const bodies = Array.from({ length: options.devices }, (_, i) => ({
    device_id: deviceIdFor(i, 'bench'),
    name: deviceNameFor(i, options.devices),
    ip_address: ipAddressFor(i)
  }))
  const heartbeatBodies = bodies.map((d) =>
    JSON.stringify({ ...d, firmware_version: '1.0.0', status: 'online' })
  )
  let heartbeatCounter = 0
  const nextHeartbeat = () => heartbeatBodies[heartbeatCounter++ % heartbeatBodies.length]!

  // Events: unique event_id per request (a repeat would only test the duplicate path), a
  // plausible device clock, and the three alarm types in turn.
  const runToken = Date.now().toString(36)
  const eventTypes = ['alarm_triggered', 'alarm_ack', 'dose_taken'] as const
  let eventCounter = 0
  const nextEvent = () => {
    const n = eventCounter++
    const device = bodies[n % bodies.length]!
    return JSON.stringify({
      device_id: device.device_id,
      type: eventTypes[n % eventTypes.length],
      payload: { alarm_label: 'Medicamento mañana' },
      timestamp: Math.floor(Date.now() / 1000),
      event_id: `bench-${runToken}-${n}`
    })
  }

  process.stdout.write(
    `bench: ${options.rounds} rounds × ${options.durationS} s per target, ` +
      `${options.connections} connections, ${options.devices} device ids, ` +
      `${options.warmupS} s warm-up, synchronous=${options.synchronous}; ` +
      `Node ${process.version}, ${cpus().length} CPUs\n`
  )

  const servers: RunningServer[] = []
  const exitCleanly = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()))
  }
  process.once('SIGINT', () => {
    void exitCleanly().then(() => process.exit(130))
  })

  let floor: RunningServer, heartbeatCore: RunningServer, eventsCore: RunningServer
  try {
    floor = await startServer('floor', 'floor.ts', options)
    servers.push(floor)
    // One core per target: the events table grows during its runs, and must not slow heartbeats.
    heartbeatCore = await startServer('core-heartbeat', 'core.ts', options)
    servers.push(heartbeatCore)
    eventsCore = await startServer('core-events', 'core.ts', options)
    servers.push(eventsCore)
  } catch (err) {
    await exitCleanly()
    fail((err as Error).message)
  }

  const targets: Record<TargetName, Target> = {
    floor: {
      name: 'floor',
      label: 'floor (Express + 1 upsert)',
      server: () => floor,
      path: '/api/devices/heartbeat',
      nextBody: nextHeartbeat
    },
    heartbeat: {
      name: 'heartbeat',
      label: 'POST /api/devices/heartbeat',
      server: () => heartbeatCore,
      path: '/api/devices/heartbeat',
      nextBody: nextHeartbeat
    },
    events: {
      name: 'events',
      label: 'POST /api/events/',
      server: () => eventsCore,
      path: '/api/events/',
      nextBody: nextEvent
    }
  }
  const order: TargetName[] = ['floor', 'heartbeat', 'events']

  const runs: Measurement[] = []
  // Every request answered 2xx per server, warm-up and sanity checks included, to compare with
  // what the servers stored.
  const answered: Record<TargetName, { ok: number; runs: number }> = {
    floor: { ok: 0, runs: 0 },
    heartbeat: { ok: 0, runs: 0 },
    events: { ok: 0, runs: 0 }
  }
  const count = (m: Measurement) => {
    answered[m.target].ok += m.requests2xx
    answered[m.target].runs++
    return m
  }
  try {
    for (const name of order) {
      await checkOnce(targets[name])
      answered[name].ok++
    }
    if (options.warmupS > 0) {
      for (const name of order) {
        process.stdout.write(`warming up ${targets[name].label}…\n`)
        count(await measure(targets[name], options, options.warmupS, 0))
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      // Odd rounds floor first, even rounds floor last: a drift in machine speed hits both sides.
      const sequence = round % 2 === 1 ? order : [...order].reverse()
      for (const name of sequence) {
        const m = count(await measure(targets[name], options, options.durationS, round))
        runs.push(m)
        process.stdout.write(`round ${round} ${targets[name].label}: ${describe(m)}\n`)
      }
    }
  } catch (err) {
    await exitCleanly()
    fail((err as Error).stack ?? String(err))
  }

  const stored = {
    floor: await floor.stop(),
    heartbeat: await heartbeatCore.stop(),
    events: await eventsCore.stop()
  }
  servers.length = 0

  const best = Object.fromEntries(
    order.map((name) => [
      name,
      runs
        .filter((r) => r.target === name)
        .reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a))
    ])
  ) as Record<TargetName, Measurement>
  const floorRps = best.floor.requestsPerSecond
  const ratio = (name: TargetName) => best[name].requestsPerSecond / floorRps

  // Per-round ratios pair each target with the floor run closest in time; their median shrugs off
  // a round where the machine was busy during one side only.
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  const pairedRatio = (name: TargetName) =>
    median(
      Array.from({ length: options.rounds }, (_, i) => {
        const inRound = (t: TargetName) => runs.find((r) => r.target === t && r.round === i + 1)!
        return inRound(name).requestsPerSecond / inRound('floor').requestsPerSecond
      })
    )
  const leastCpu = (name: TargetName) =>
    Math.min(...runs.filter((r) => r.target === name).map((r) => r.cpuMicrosPerRequest))
  const sum = (name: TargetName, key: 'non2xx' | 'errors') =>
    runs.filter((r) => r.target === name).reduce((n, r) => n + r[key], 0)

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
      'CPU vs floor'
    ]
  ]
  for (const name of order) {
    const m = best[name]
    rows.push([
      targets[name].label,
      fmt(m.requestsPerSecond),
      fmt(m.latencyMs.p50, 2),
      fmt(m.latencyMs.p99, 2),
      String(sum(name, 'non2xx')),
      String(sum(name, 'errors')),
      `${ratio(name).toFixed(2)}×`,
      `${pairedRatio(name).toFixed(2)}×`,
      fmt(leastCpu(name)),
      `${(leastCpu(name) / leastCpu('floor')).toFixed(2)}×`
    ])
  }
  process.stdout.write(
    `\nbest of ${options.rounds} (${options.durationS} s each):\n${table(rows)}\n`
  )
  const heartbeatTarget = 0.9
  const met = ratio('heartbeat') >= heartbeatTarget ? 'met' : 'NOT met'
  process.stdout.write(
    `\nheartbeat throughput: ${ratio('heartbeat').toFixed(2)}× the floor, best against best ` +
      `(target ≥ ${heartbeatTarget}×: ${met}); round by round ${pairedRatio('heartbeat').toFixed(2)}×; ` +
      `server CPU per request ${(leastCpu('heartbeat') / leastCpu('floor')).toFixed(2)}× the floor's\n`
  )

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
      consistent: extra >= 0 && extra <= n * options.connections
    }
  })
  process.stdout.write(
    `stored vs answered 2xx: ${accounting
      .map((a) => `${a.target} ${a.stored}/${a.answered2xx}${a.consistent ? '' : ' (MISMATCH)'}`)
      .join(', ')} (devices: floor ${stored.floor.devices}, core ${stored.heartbeat.devices})\n`
  )

  const invalid = runs.filter((r) => r.non2xx > 0 || r.errors > 0)
  const mismatched = accounting.filter((a) => !a.consistent)
  const report = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      tmpdir: tmpdir()
    },
    options,
    best: Object.fromEntries(
      order.map((name) => [
        name,
        { ...best[name], label: targets[name].label, vsFloor: ratio(name) }
      ])
    ),
    heartbeatVsFloor: ratio('heartbeat'),
    pairedVsFloor: Object.fromEntries(order.map((name) => [name, pairedRatio(name)])),
    cpuMicrosPerRequest: Object.fromEntries(order.map((name) => [name, leastCpu(name)])),
    heartbeatTarget,
    stored,
    accounting,
    runs
  }
  // Formatted the way the repo's prettier would: the root .prettierignore does not know about
  // bench/results, and `prettier --check bench` must still pass after a run.
  const resultsFile = join(RESULTS_DIR, 'latest.json')
  const prettierOptions = (await prettier.resolveConfig(resultsFile)) ?? {}
  writeFileSync(
    resultsFile,
    await prettier.format(JSON.stringify(report), { ...prettierOptions, parser: 'json' })
  )
  process.stdout.write(`results written to ${join('bench', 'results', 'latest.json')}\n`)

  if (options.cpuProf) {
    for (const name of ['floor', 'core-heartbeat', 'core-events']) {
      const dir = join(RESULTS_DIR, 'profiles', name)
      const main = readdirSync(dir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      const file = main ? join(dir, main) : dir
      process.stdout.write(`\n${summariseProfile(file, name)}\n`)
    }
  }

  if (mismatched.length > 0)
    fail(
      `stored rows do not match answered requests for ${mismatched.map((a) => a.target).join(', ')}`
    )
  if (invalid.length > 0)
    fail(
      `${invalid.length} run(s) had non-2xx responses or errors: the figures above are not valid`
    )
}

await main()
