/**
 * The headless server as a user runs it (`node out/main/headless.js --port 0 --host 127.0.0.1
 * --data-dir DIR`), for the cold-start and memory steps: spawned, timed to its "Dashboard:" line,
 * stopped with SIGTERM like a service manager would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DEVICE_KEY, ROOT } from './paths'
import { onInterrupt } from './proc'

export type LauncherChoice = 'build' | 'built' | 'source'

export interface Launcher {
  kind: 'built' | 'source'
  /** Node arguments before the server's own. */
  nodeArgs: string[]
  /** Why this one, in words for the report. */
  note: string
}

const BUILT = join(ROOT, 'out', 'main', 'headless.js')
const SOURCE = join(ROOT, 'src', 'main', 'headless.ts')

function newestSource(): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else {
        const { mtimeMs } = statSync(path)
        if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs }
      }
    }
  }
  walk(join(ROOT, 'src', 'main'))
  walk(join(ROOT, 'src', 'shared'))
  return newest
}

/** Runs `npx electron-vite build` (main, preload and renderer into out/). */
export function buildApp(): { ok: boolean; ms: number; output: string } {
  const started = performance.now()
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' })
  return {
    ok: result.status === 0,
    ms: performance.now() - started,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`
  }
}

/**
 * `built`: out/main/headless.js as it is (flagged when older than a file under src/main or
 * src/shared); `source`: src/main/headless.ts through tsx, which also pays for transpiling
 * (cached by tsx after the first start) and ~30 MB of RSS for the loader. (`build` builds first,
 * then asks for `built`.)
 */
export function resolveLauncher(choice: LauncherChoice): Launcher {
  const tsxLoader = import.meta.resolve('tsx')
  const source: Launcher = {
    kind: 'source',
    nodeArgs: ['--import', tsxLoader, SOURCE],
    note: 'src/main/headless.ts through tsx'
  }
  if (choice === 'source') return { ...source, note: `${source.note} (--headless source)` }
  const built: Launcher = { kind: 'built', nodeArgs: [BUILT], note: 'out/main/headless.js' }
  if (!existsSync(BUILT)) {
    throw new Error(`${BUILT} does not exist: run npx electron-vite build`)
  }
  const newest = newestSource()
  return newest.mtimeMs > statSync(BUILT).mtimeMs
    ? { ...built, note: `${built.note} (OLDER than ${newest.file.slice(ROOT.length + 1)})` }
    : { ...built, note: `${built.note} (newer than every file in src/main and src/shared)` }
}

export interface Headless {
  pid: number
  port: number
  /** From spawn() to the "Dashboard: http://…" line on stdout, in ms. */
  readyMs: number
  /** Resolves when a line of its output matches (stdout or stderr), with the time since spawn. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<number>
  stop(): Promise<number | null>
}

/**
 * The environment of a configured install: the device key set, no admin password in the
 * environment (the dashboard's, hashed in the DB, as by default), nothing from the bench's own
 * environment that the server reads, and a working directory without a .env.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PASTILLERO_|ADMIN_PASSWORD$|API_SECRET_KEY$|TELEGRAM_|BENCH_)/.test(k)) env[k] = v
  }
  env.API_SECRET_KEY = DEVICE_KEY
  return env
}

export async function startHeadless(
  launcher: Launcher,
  dataDir: string,
  options: { cpuProfDir?: string; timeoutMs?: number } = {}
): Promise<Headless> {
  const cwd = mkdtempSync(join(tmpdir(), 'pastillero-bench-cwd-'))
  const profiling = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []
  const args = [
    ...profiling,
    ...launcher.nodeArgs,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    dataDir
  ]
  const started = performance.now()
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: serverEnv(),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  const forget = onInterrupt(() => child.kill('SIGTERM'))
  void exited.then(() => {
    forget()
    rmSync(cwd, { recursive: true, force: true })
  })
  const output: string[] = []
  const watchers: Array<{ pattern: RegExp; resolve: (ms: number) => void }> = []
  const onLine = (line: string) => {
    output.push(line)
    const at = performance.now() - started
    for (const w of [...watchers]) {
      if (w.pattern.test(line)) {
        watchers.splice(watchers.indexOf(w), 1)
        w.resolve(at)
      }
    }
  }
  createInterface({ input: child.stdout! }).on('line', onLine)
  createInterface({ input: child.stderr! }).on('line', onLine)
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<number>((resolve, reject) => {
      const seen = output.find((l) => pattern.test(l))
      if (seen !== undefined) {
        resolve(NaN) // already happened; the time was not recorded for it
        return
      }
      const timer = setTimeout(() => {
        watchers.splice(watchers.indexOf(watcher), 1)
        reject(new Error(`headless: no line matching ${pattern} within ${timeoutMs / 1000} s`))
      }, timeoutMs)
      const watcher = {
        pattern,
        resolve: (ms: number) => {
          clearTimeout(timer)
          resolve(ms)
        }
      }
      watchers.push(watcher)
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`headless exited (${code}) first:\n${output.slice(-20).join('\n')}`))
      })
    })
  const dashboard = /Dashboard:\s+http:\/\/127\.0\.0\.1:(\d+)\//
  let readyMs: number
  try {
    readyMs = await waitFor(dashboard, options.timeoutMs ?? 60_000)
  } catch (err) {
    child.kill('SIGTERM')
    throw err
  }
  const port = Number(output.map((l) => dashboard.exec(l)?.[1]).find(Boolean))
  return {
    pid: child.pid!,
    port,
    readyMs,
    waitFor,
    stop: async () => {
      // The server installs its SIGTERM handler just after printing the Dashboard line: a signal
      // sent the instant the line arrives can beat it and kill the process without its shutdown.
      const sinceReady = performance.now() - started - readyMs
      if (sinceReady < 250) await new Promise((r) => setTimeout(r, 250 - sinceReady))
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

/** `node -e ''`: what starting Node itself costs on this machine, to the process's exit. */
export async function nodeBaselineMs(): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  return performance.now() - started
}
