/**
 * `npm run simulate -- --key KEY --devices 20`: a fleet of fake dispensers against a running
 * Pastillero, for trying the dashboard with life in it or for a long soak. See --help.
 */
import { parseSimulateArgs, USAGE, UsageError, type SimulateArgs } from './simulator/cli-args'
import { Fleet, type FleetStats } from './simulator/fleet'
import { postJson } from './simulator/http'
import type { DeviceActivity } from './simulator/simulated-device'

function fail(message: string, code = 2): never {
  process.stderr.write(`simulate: ${message}\n`)
  process.exit(code)
}

/**
 * Checks the server and the key before starting N devices: an empty heartbeat is refused with 401
 * for a wrong key (the key is checked first) and 422 otherwise, and stores nothing.
 */
async function preflight(args: SimulateArgs): Promise<void> {
  const url = new URL('api/devices/heartbeat', args.url.endsWith('/') ? args.url : `${args.url}/`)
  const outcome = await postJson(url.toString(), {}, { apiKey: args.key, timeoutMs: 5000 })
  if (outcome.status === undefined)
    fail(`cannot reach ${args.url}: ${outcome.error} (is the server running?)`, 1)
  if (outcome.status === 401) fail(`the server refused the key: ${outcome.error}`, 1)
  if (outcome.status === 404) fail(`${url} answered 404: is ${args.url} a Pastillero server?`, 1)
}

function rate(count: number, seconds: number): string {
  return seconds > 0 ? (count / seconds).toFixed(1) : '0.0'
}

function statsLine(s: FleetStats, elapsedS: number): string {
  const meanMs = s.heartbeatsOk > 0 ? s.heartbeatLatencyMsTotal / s.heartbeatsOk : 0
  const clock = `[${elapsedS.toFixed(0).padStart(4)}s]`
  const parts = [
    `devices ${s.running}/${s.devices} up${s.booting ? `, ${s.booting} booting` : ''}`,
    `heartbeats ${s.heartbeatsOk} ok, ${s.heartbeatsFailed} failed ` +
      `(${rate(s.heartbeatsOk, elapsedS)}/s, mean ${meanMs.toFixed(1)} ms, max ${s.heartbeatLatencyMsMax.toFixed(0)} ms)`,
    `events ${s.eventsOk}/${s.eventsSent} ok, ${s.eventsFailed} failed, ${s.eventRetries} retries` +
      (s.eventDuplicates ? `, ${s.eventDuplicates} duplicates` : ''),
    `alarms ${s.alarms}: ${s.dosesTaken} taken, ${s.dosesMissed} missed`,
    `reboots ${s.rebootsObeyed}`,
    `updates ${s.updatesInstalled}/${s.updatesInstalled + s.updatesFailed}`
  ]
  return `${clock} ${parts.join(' · ')}`
}

async function main(): Promise<void> {
  let args: SimulateArgs
  try {
    args = parseSimulateArgs(process.argv.slice(2), process.env)
  } catch (err) {
    if (err instanceof UsageError) fail(err.message)
    throw err
  }
  if (args.help) {
    process.stdout.write(USAGE)
    return
  }
  await preflight(args)

  // Failures are counted per message and printed with the next stats line, so a server that goes
  // away produces one line per interval rather than one per device per beat.
  const errors = new Map<string, number>()
  const onActivity = (a: DeviceActivity) => {
    if (a.kind === 'reboot' || a.kind === 'booted' || a.kind === 'command' || a.kind === 'token')
      process.stdout.write(`  ${a.device_id} ${a.message}\n`)
    else {
      // Strip the event id so one cause counts as one message.
      const message = `${a.kind}: ${a.message.replace(/ \S+-b\d+-\d+:/, ':').replace(/ \(attempt.*/, '')}`
      errors.set(message, (errors.get(message) ?? 0) + 1)
    }
  }

  const fleet = new Fleet({
    url: args.url,
    apiKey: args.key,
    size: args.devices,
    seed: args.seed,
    firmwareVersion: args.firmware,
    onActivity,
    behaviour: {
      intervalMs: args.intervalMs,
      firstBeatWithinMs: args.intervalMs,
      alarmsPerHour: args.alarmsPerHour,
      missedDoseProbability: args.missRate,
      lostResponseProbability: args.lostResponseRate,
      otaCheckEveryBeats: args.otaEveryBeats,
      useDeviceToken: args.useDeviceToken
    }
  })
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  process.stdout.write(
    `simulating ${args.devices} dispensers against ${args.url} (run ${fleet.runId}): ` +
      `a heartbeat every ${(args.intervalMs / 1000).toFixed(1)} s, ` +
      `${args.alarmsPerHour} alarms/hour each. Ctrl-C stops.\n`
  )
  fleet.start()

  const printStats = () => {
    process.stdout.write(`${statsLine(fleet.stats(), elapsed())}\n`)
    for (const [message, count] of errors) process.stdout.write(`  ${count}× ${message}\n`)
    errors.clear()
  }
  const ticker = setInterval(printStats, args.statsEveryMs)

  let stopping: Promise<void> | undefined
  let durationTimer: NodeJS.Timeout | undefined
  const stop = (why: string) => {
    if (stopping) return stopping
    clearInterval(ticker)
    clearTimeout(durationTimer)
    process.stdout.write(`${why}: stopping, waiting for requests in flight…\n`)
    stopping = fleet.stop().then(() => {
      printStats()
      const s = fleet.stats()
      process.stdout.write(`stopped after ${elapsed().toFixed(1)} s\n`)
      // A run where nothing got through is a failure for scripts that call this.
      process.exitCode = s.heartbeatsSent > 0 && s.heartbeatsOk === 0 ? 1 : 0
    })
    return stopping
  }
  process.on('SIGINT', () => {
    if (stopping) {
      process.stderr.write('simulate: interrupted again, exiting without waiting\n')
      process.exit(130)
    }
    void stop('Ctrl-C')
  })
  process.once('SIGTERM', () => void stop('SIGTERM'))
  if (args.durationMs !== undefined) {
    const seconds = args.durationMs / 1000
    durationTimer = setTimeout(() => void stop(`${seconds} s elapsed`), args.durationMs)
  }
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1)
})
