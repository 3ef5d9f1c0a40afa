/**
 * `npm run bench`: Pastillero's performance, every figure against a baseline measured in the same
 * run (see bench/README.md and docs/performance.md). Steps:
 *   device     the device write path (issue 12) vs the Express floor with synchronous=NORMAL,
 *              the bare node:http limit, paced fleet rates, event-loop delay, 100k devices
 *   heartbeat  device endpoints' throughput and p99 vs a bare Express + one-upsert floor
 *   ota        heartbeat p99 while 50 dispensers download a 1.5 MB image, vs without
 *   history    GET /api/admin/events over 1,000,000 events vs the same SQL run directly
 *   firstload  the dashboard's first API calls with 200 devices and 1M events vs GET /api/health
 *   coldstart  headless server spawn → listening with 1M events vs an empty data dir, node -e ''
 *   memory     headless RSS idle and under heartbeats vs the floor server
 * A report, not a test: it exits 0 whatever the speed, 1 only if the bench itself broke.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { Context, loadAverage, STEPS, type Options, type StepName } from './lib/context'
import { buildApp, resolveLauncher, type Launcher, type LauncherChoice } from './lib/headless'
import { RESULTS_DIR } from './lib/paths'
import { cleanUpAll } from './lib/proc'
import { fmt, markdownTable, table } from './lib/stats'
import { runColdStart } from './steps/coldstart'
import { runDevice } from './steps/device'
import { runFirstLoad } from './steps/firstload'
import { runHistory } from './steps/history'
import { runMemory } from './steps/memory'
import { runOta } from './steps/ota'
import { clearProfiles, runThroughput } from './steps/throughput'

const USAGE = `Usage: npm run bench -- [options]

  --only LIST       steps to run, comma-separated (default all):
                    ${STEPS.join(',')}
  --quick           a smoke run in about a minute: 1 round, 3 s runs, 1 s warm-up,
                    100,000 events, fewer samples (figures are indicative only)
  --duration S      seconds per measured run: heartbeat, ota, memory (default 10)
  --warmup S        seconds of warm-up per server before measuring (default 3)
  --connections N   concurrent keep-alive connections for autocannon (default 10)
  --rounds N        runs per target (heartbeat) and per phase (ota) (default 2)
  --devices N       device ids: the request rotation and the generated history (default 200)
  --events N        events in the generated history (default 1000000)
  --samples N       timed requests per history / first-load case (default 300)
  --case-budget S   at most this many seconds per case, at least 10 samples (default 3)
  --starts N        timed cold starts per variant (default 5)
  --ota-downloads N concurrent OTA downloads (default 50)
  --ota-rate N      heartbeats per second during the ota step (default 100)
  --ota-kbps N      limit each OTA download to N kB/s, like a dispenser on Wi-Fi (default 0:
                    unthrottled, as fast as loopback allows: the worst case)
  --headless WHICH  how coldstart, memory and the device step's 100,000-device memory part run
                    the server: build (default: npx electron-vite build, then node
                    out/main/headless.js), built (out/ as it is), or source (node --import tsx
                    src/main/headless.ts)
  --keep-db         keep the generated data dir (its path is printed)
  --synchronous M   full (default, as the core runs) or off: a diagnostic for the heartbeat
                    step that drops the fsync per commit on both sides
  --device-connections N  connections for the device step's closed-loop runs (default 64)
  --first-sight N   new device ids at 3,333/s in the device step (default 100000; quick 10000)
  --cpu-prof        V8 CPU profiles of the heartbeat servers and of one cold start, summarised
                    (bench/results/profiles)
  -h, --help        show this help
`

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
        only: { type: 'string' },
        quick: { type: 'boolean' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        devices: { type: 'string' },
        events: { type: 'string' },
        samples: { type: 'string' },
        'case-budget': { type: 'string' },
        starts: { type: 'string' },
        'ota-downloads': { type: 'string' },
        'ota-rate': { type: 'string' },
        'ota-kbps': { type: 'string' },
        headless: { type: 'string' },
        'keep-db': { type: 'boolean' },
        'cpu-prof': { type: 'boolean' },
        synchronous: { type: 'string' },
        'device-connections': { type: 'string' },
        'first-sight': { type: 'string' },
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
  const quick = values.quick === true
  const num = (flag: string, fallback: number, quickFallback: number, min: number) => {
    const raw = values[flag] as string | undefined
    if (raw === undefined) return quick ? quickFallback : fallback
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isInteger(n) || n < min)
      fail(`--${flag} must be a whole number ≥ ${min}, got "${raw}"`)
    return n
  }
  const synchronous = ((values.synchronous as string | undefined) ?? 'full').toUpperCase()
  if (synchronous !== 'FULL' && synchronous !== 'OFF')
    fail(`--synchronous must be full or off, got "${values.synchronous as string}"`)
  const headless = (values.headless as string | undefined) ?? 'build'
  if (!['build', 'built', 'source'].includes(headless))
    fail(`--headless must be build, built or source, got "${headless}"`)
  const only = ((values.only as string | undefined) ?? STEPS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const step of only)
    if (!(STEPS as readonly string[]).includes(step))
      fail(`--only: unknown step "${step}" (steps: ${STEPS.join(', ')})`)
  return {
    only: STEPS.filter((s) => only.includes(s)),
    quick,
    synchronous,
    durationS: num('duration', 10, 3, 1),
    warmupS: num('warmup', 3, 1, 0),
    connections: num('connections', 10, 10, 1),
    rounds: num('rounds', 2, 1, 1),
    devices: num('devices', 200, 200, 2),
    events: num('events', 1_000_000, 100_000, 1000),
    historyDays: 730,
    samples: num('samples', 300, 60, 10),
    caseBudgetS: num('case-budget', 3, 1, 1),
    starts: num('starts', 5, 2, 1),
    otaDownloads: num('ota-downloads', 50, 50, 1),
    otaImageBytes: 1_500_000,
    otaRate: num('ota-rate', 100, 100, 1),
    otaKbps: num('ota-kbps', 0, 0, 0),
    headless: headless as LauncherChoice,
    keepDb: values['keep-db'] === true,
    deviceConnections: num('device-connections', 64, 64, 1),
    firstSight: num('first-sight', 100_000, 10_000, 100),
    cpuProf: values['cpu-prof'] === true
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const ctx = new Context(options)
  mkdirSync(RESULTS_DIR, { recursive: true })
  if (options.cpuProf) clearProfiles()
  process.once('SIGINT', () => {
    void cleanUpAll().then(() => {
      ctx.removeHistory()
      process.exit(130)
    })
  })

  const started = performance.now()
  const machine = {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    tmpdir: tmpdir(),
    loadAverageAtStart: loadavg()
  }
  ctx.log(
    `bench: steps ${options.only.join(', ')}${options.quick ? ' (quick)' : ''}; Node ` +
      `${process.version}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ` +
      `${loadAverage()} (1 / 5 / 15 min)`
  )

  let launcher: Launcher | undefined
  let build: { ok: boolean; ms: number } | undefined
  const needsHeadless = options.only.some(
    (s) => s === 'coldstart' || s === 'memory' || s === 'device'
  )
  if (needsHeadless) {
    let choice = options.headless
    if (choice === 'build') {
      ctx.log('building (npx electron-vite build)…')
      const b = buildApp()
      build = { ok: b.ok, ms: b.ms }
      if (!b.ok) {
        process.stderr.write(b.output.split('\n').slice(-30).join('\n') + '\n')
        ctx.log('the build failed: the server runs from the sources (through tsx) instead')
        choice = 'source'
      } else {
        ctx.log(`built in ${fmt(b.ms / 1000, 1)} s`)
        choice = 'built'
      }
    }
    try {
      launcher = resolveLauncher(choice)
    } catch (err) {
      fail((err as Error).message)
    }
  }

  const steps: Record<StepName, () => Promise<Record<string, unknown>>> = {
    device: () => runDevice(ctx, launcher!),
    heartbeat: () => runThroughput(ctx),
    ota: () => runOta(ctx),
    history: () => runHistory(ctx),
    firstload: () => runFirstLoad(ctx),
    coldstart: () => runColdStart(ctx, launcher!),
    memory: () => runMemory(ctx, launcher!)
  }
  const details: Record<string, unknown> = {}
  const timing: Record<string, { seconds: number; loadAverage: number[] }> = {}
  for (const step of options.only) {
    ctx.log(`\n== ${step} (load average ${loadAverage()}) ==`)
    const t0 = performance.now()
    try {
      details[step] = await steps[step]()
    } catch (err) {
      await cleanUpAll()
      ctx.broken.push(`${step}: ${(err as Error).stack ?? String(err)}`)
      ctx.log(`${step} broke: ${(err as Error).message}`)
    }
    timing[step] = { seconds: (performance.now() - t0) / 1000, loadAverage: loadavg() }
  }
  const history = ctx.historyGenerated()
  ctx.removeHistory()

  const header = ['step', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'met']
  const rows = ctx.figures.map((f) => [
    f.step,
    f.name,
    f.value,
    f.baseline,
    f.ratio,
    f.target,
    f.met === undefined ? '–' : f.met ? 'yes' : 'NO'
  ])
  const totalS = (performance.now() - started) / 1000
  ctx.log(
    `\n== summary (${fmt(totalS)} s; load average now ${loadAverage()}) ==\n` +
      table([header, ...rows])
  )
  for (const f of ctx.figures.filter((x) => x.note)) ctx.log(`  ${f.step} / ${f.name}: ${f.note}`)

  const report = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg() },
    options,
    totalSeconds: totalS,
    launcher,
    build,
    history: history && {
      events: history.events,
      devices: history.devices,
      from: history.from,
      to: history.to,
      bytes: history.bytes,
      generateMs: history.generateMs,
      insertMs: history.insertMs,
      indexMs: history.indexMs,
      byType: history.byType
    },
    steps: timing,
    figures: ctx.figures,
    broken: ctx.broken,
    details
  }
  const resultsFile = join(RESULTS_DIR, 'latest.json')
  const prettierOptions = (await prettier.resolveConfig(resultsFile)) ?? {}
  writeFileSync(
    resultsFile,
    await prettier.format(JSON.stringify(report), { ...prettierOptions, parser: 'json' })
  )
  writeFileSync(join(RESULTS_DIR, 'latest.md'), markdownTable([header, ...rows]) + '\n')
  ctx.log('results written to bench/results/latest.json (table: bench/results/latest.md)')

  if (ctx.broken.length > 0)
    fail(`the bench broke; these figures are not valid:\n${ctx.broken.join('\n')}`)
}

await main()
