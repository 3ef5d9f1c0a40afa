/**
 * How bench/run.ts talks to a server child, one JSON object per line:
 * - the child prints `{"ready":…}` on stdout once listening;
 * - the parent writes `usage` on stdin, the child answers `{"usage":{user,system}}` (µs of CPU
 *   since it started, from process.cpuUsage()), so the parent can compute CPU per request;
 * - the parent writes `stop`, the child prints `{"stopped":…}` with what it stored and exits.
 * Stdin rather than signals, so the child can report before exiting and `--cpu-prof` gets a
 * normal exit to write its profile on.
 */
import { createInterface } from 'node:readline'

export interface ReadyMessage {
  ready: { port: number; name: string; pid: number }
}

export interface UsageMessage {
  usage: { user: number; system: number }
}

export interface StoppedMessage {
  stopped: Record<string, number>
}

/** `stats`: counters the server keeps (event-loop delay, batches, RSS…); `reset` zeroes them. */
export interface StatsMessage {
  stats: Record<string, number>
}

function send(
  message: ReadyMessage | UsageMessage | StoppedMessage | StatsMessage,
  then?: () => void
): void {
  process.stdout.write(`${JSON.stringify(message)}\n`, then)
}

export function announceReady(name: string, port: number): void {
  send({ ready: { port, name, pid: process.pid } })
}

/** Answers `usage` requests; runs `shutdown` on `stop` (or when the parent goes away) and exits. */
export function onStop(
  shutdown: () => Promise<Record<string, number>>,
  stats?: { read: () => Record<string, number>; reset: () => void }
): void {
  let done = false
  const stop = async () => {
    if (done) return
    done = true
    send({ stopped: await shutdown() }, () => process.exit(0))
  }
  // Ctrl-C in a terminal signals the whole process group: leave it to the parent, which stops
  // every server in turn. SIGTERM (someone else ending us) still cleans up the temp dir.
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => void stop())
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const command = line.trim()
    if (command === 'usage') send({ usage: process.cpuUsage() })
    else if (command === 'stats') send({ stats: stats?.read() ?? {} })
    else if (command === 'reset') stats?.reset()
    else if (command === 'stop') void stop()
  })
  // The parent died (or closed our stdin): do not linger holding a port and a temp dir.
  lines.on('close', () => void stop())
}
