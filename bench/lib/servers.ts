/**
 * Starting the bench's server children (bench/servers/*.ts, bench/load/*.ts) and talking to them
 * through the line protocol of bench/servers/protocol.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import ts from 'typescript'
import type { ReadyMessage, StatsMessage, StoppedMessage, UsageMessage } from '../servers/protocol'
import { BENCH_DIR, ROOT } from './paths'
import { onInterrupt, readMemory, type Memory } from './proc'

export interface RunningServer {
  name: string
  port: number
  pid: number
  /** CPU time the server process has used so far, in µs (user + system). */
  cpuMicros(): Promise<number>
  memory(): Memory | undefined
  /** The server's own counters (see protocol.ts); {} when it keeps none. */
  stats(): Promise<Record<string, number>>
  /** Zeroes those counters (e.g. the event-loop delay histogram) before a measured phase. */
  reset(): void
  /** Asks the child to stop; resolves with what it reported. */
  stop(): Promise<Record<string, number>>
}

export interface ServerSpec {
  name: string
  /** Path of the script; .ts runs through tsx's loader, .mjs/.js with plain node. */
  script: string
  env?: Record<string, string>
  /** Write a V8 CPU profile of the child into this directory (written when it exits). */
  cpuProfDir?: string
  startTimeoutMs?: number
}

export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const { name } = spec
  const profiling = spec.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', spec.cpuProfDir] : []
  const loader = spec.script.endsWith('.ts') ? ['--import', 'tsx'] : []
  // Plain node (with tsx's loader for TypeScript; no tsx CLI wrapper process).
  const child: ChildProcess = spawn(process.execPath, [...profiling, ...loader, spec.script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_NAME: name, ...spec.env }
  })
  const forget = onInterrupt(() => child.kill('SIGTERM'))
  child.once('exit', forget)
  const lines = createInterface({ input: child.stdout! })
  let onStopped: ((stored: Record<string, number>) => void) | undefined
  const usageWaiters: Array<(micros: number) => void> = []
  const statsWaiters: Array<(stats: Record<string, number>) => void> = []
  const timeoutMs = spec.startTimeoutMs ?? 60_000
  const ready = new Promise<ReadyMessage['ready']>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with code ${code} before it was ready`))
    })
    lines.on('line', (line) => {
      let message: Partial<ReadyMessage & StoppedMessage & UsageMessage & StatsMessage>
      try {
        message = JSON.parse(line) as Partial<
          ReadyMessage & StoppedMessage & UsageMessage & StatsMessage
        >
      } catch {
        process.stderr.write(`[${name}] ${line}\n`)
        return
      }
      if (message.ready) {
        clearTimeout(timer)
        resolveReady(message.ready)
      } else if (message.usage) usageWaiters.shift()?.(message.usage.user + message.usage.system)
      else if (message.stats) statsWaiters.shift()?.(message.stats)
      else if (message.stopped) onStopped?.(message.stopped)
    })
  })
  const info = await ready
  return {
    name,
    port: info.port,
    pid: info.pid,
    memory: () => readMemory(info.pid),
    stats: () =>
      new Promise((resolveStats) => {
        statsWaiters.push(resolveStats)
        child.stdin!.write('stats\n')
      }),
    reset: () => void child.stdin!.write('reset\n'),
    cpuMicros: () =>
      new Promise((resolveUsage) => {
        usageWaiters.push(resolveUsage)
        child.stdin!.write('usage\n')
      }),
    stop: () =>
      new Promise((resolveStop, reject) => {
        if (child.exitCode !== null) {
          reject(new Error(`${name} had already exited with ${child.exitCode}`))
          return
        }
        let stored: Record<string, number> = {}
        onStopped = (s) => (stored = s)
        child.removeAllListeners('exit')
        child.once('exit', (code) => {
          forget()
          if (code === 0) resolveStop(stored)
          else reject(new Error(`${name} exited with ${code}`))
        })
        child.stdin!.end('stop\n')
      })
  }
}

export const serverScript = (file: string): string => join(BENCH_DIR, 'servers', file)

/**
 * The floor as plain JavaScript, for comparisons with the built headless server (which runs
 * without tsx: tsx's loader alone adds about 30 MB of RSS and some start-up time). Transpiled with
 * TypeScript into node_modules/.cache (inside the repo so that express and better-sqlite3
 * resolve; outside what eslint and prettier look at).
 */
export function floorAsJavaScript(): string {
  const outDir = join(ROOT, 'node_modules', '.cache', 'pastillero-bench')
  mkdirSync(outDir, { recursive: true })
  for (const file of ['floor.ts', 'protocol.ts']) {
    const source = readFileSync(serverScript(file), 'utf8')
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file
    })
    writeFileSync(
      join(outDir, basename(file, '.ts') + '.mjs'),
      outputText.replace(/from '\.\/protocol'/g, "from './protocol.mjs'")
    )
  }
  return join(outDir, 'floor.mjs')
}
