import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * Drives the firmware's host build ("virtual dispenser", firmware/README.md): spawns it, reads
 * its JSON state lines, writes stdin commands, waits for conditions, kills it on cleanup.
 */
export const VIRTUAL_BIN = resolve(
  process.env.PASTILLERO_VIRTUAL ?? 'firmware/.build/host/pastillero-virtual'
)

/** Why the virtual dispenser cannot run here, or undefined. `npm test` builds it first. */
export function virtualProblem(): string | undefined {
  if (!existsSync(VIRTUAL_BIN))
    return `${VIRTUAL_BIN} is missing: build it with cmake (scripts/run-tests.mjs does)`
  return undefined
}

export interface StateLine {
  t: string
  ev: string
  [field: string]: unknown
}

export interface DispenserOptions {
  deviceId: string
  key: string
  server?: string
  discover?: boolean
  /** Reuse a state dir (the NVS stand-in) to start "the same device" again. */
  stateDir?: string
  version?: string
  chip?: string
  name?: string
  /** Virtual clock start, UTC ISO-8601. */
  start?: string
  heartbeatS?: number
  otaCheckS?: number
  doseBy?: 'press' | 'compartment'
  seed?: number
  /** Command prefix, e.g. ['ip', 'netns', 'exec', ns]. */
  wrap?: string[]
}

const live = new Set<VirtualDispenser>()
// Never leave a dispenser running after the test process, whatever happened.
process.once('exit', () => {
  for (const d of live) d.child.kill('SIGKILL')
})

export class VirtualDispenser {
  readonly lines: StateLine[] = []
  readonly stateDir: string
  readonly child: ChildProcess
  private stderr = ''
  private waiters = new Set<() => void>()
  private readonly exited: Promise<number | null>
  private readonly ownsState: boolean

  constructor(readonly options: DispenserOptions) {
    this.ownsState = !options.stateDir
    this.stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'pastillero-vd-'))
    const o = options
    const args = ['--device-id', o.deviceId, '--state', this.stateDir, '--key', o.key]
    if (o.server) args.push('--server', o.server)
    if (o.discover) args.push('--discover')
    if (o.version) args.push('--version', o.version)
    if (o.chip) args.push('--chip', o.chip)
    if (o.name) args.push('--name', o.name)
    if (o.start) args.push('--start', o.start)
    args.push('--heartbeat-s', String(o.heartbeatS ?? 1))
    if (o.otaCheckS) args.push('--ota-check-s', String(o.otaCheckS))
    if (o.doseBy) args.push('--dose-by', o.doseBy)
    args.push('--seed', String(o.seed ?? 1))
    const [command, ...prefix] = o.wrap?.length ? [...o.wrap, VIRTUAL_BIN] : [VIRTUAL_BIN]
    this.child = spawn(command!, [...prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    live.add(this)
    this.exited = new Promise((done) =>
      this.child.once('exit', (code) => {
        live.delete(this)
        this.notify()
        done(code)
      })
    )
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as StateLine)
      } catch {
        this.lines.push({ t: '', ev: 'unparsed', line })
      }
      this.notify()
    })
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString()
      if (this.stderr.length > 200_000) this.stderr = this.stderr.slice(-100_000)
    })
    this.child.stdin!.on('error', () => {}) // the process may be gone; waitFor reports that
  }

  private notify(): void {
    for (const w of this.waiters) w()
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Index of the next line, to wait only for what happens after an action. */
  mark(): number {
    return this.lines.length
  }

  send(command: string): void {
    this.child.stdin!.write(`${command}\n`)
  }

  /** Lines of one event kind (optionally after a mark). */
  all(ev: string, from = 0): StateLine[] {
    return this.lines.slice(from).filter((l) => l.ev === ev)
  }

  /** Resolves with the first line from `from` on that matches; rejects on timeout or exit. */
  waitFor(
    match: (l: StateLine) => boolean,
    opts: { from?: number; timeoutMs?: number; what?: string } = {}
  ): Promise<StateLine> {
    const { from = 0, timeoutMs = 30_000, what = 'a matching line' } = opts
    return new Promise((done, fail) => {
      const check = () => {
        const hit = this.lines.slice(from).find(match)
        if (hit) return finish(() => done(hit))
        if (!this.running)
          return finish(() =>
            fail(new Error(`${this.options.deviceId} exited waiting for ${what}\n${this.tail()}`))
          )
      }
      const timer = setTimeout(
        () =>
          finish(() =>
            fail(
              new Error(`${this.options.deviceId}: no ${what} in ${timeoutMs} ms\n${this.tail()}`)
            )
          ),
        timeoutMs
      )
      const finish = (then: () => void) => {
        clearTimeout(timer)
        this.waiters.delete(check)
        then()
      }
      this.waiters.add(check)
      check()
    })
  }

  /** Shorthand: wait for an `ev` whose fields include `fields`. */
  waitEv(
    ev: string,
    fields: Record<string, unknown> = {},
    opts: { from?: number; timeoutMs?: number } = {}
  ): Promise<StateLine> {
    return this.waitFor(
      (l) => l.ev === ev && Object.entries(fields).every(([k, v]) => l[k] === v),
      { ...opts, what: `${ev} ${JSON.stringify(fields)}` }
    )
  }

  /** The last lines of stdout and stderr, for failure messages. */
  tail(): string {
    const out = this.lines
      .slice(-25)
      .map((l) => JSON.stringify(l))
      .join('\n')
    return `--- stdout (last 25) ---\n${out}\n--- stderr (last 2000 chars) ---\n${this.stderr.slice(-2000)}`
  }

  /** Clean exit (`quit`: state flushed); SIGKILL if it does not go within the timeout. */
  async quit(timeoutMs = 10_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode
    this.send('quit')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    const code = await this.exited
    clearTimeout(timer)
    return code
  }

  async dispose(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGKILL')
      await this.exited
    }
    if (this.ownsState) rmSync(this.stateDir, { recursive: true, force: true })
  }
}

/** Builds the host firmware if the binary is missing (for a single test file run by hand). */
export function ensureBuilt(): void {
  if (existsSync(VIRTUAL_BIN) || process.env.PASTILLERO_VIRTUAL) return
  const build = resolve('firmware/.build/host')
  for (const args of [
    ['-S', 'firmware', '-B', build, '-DCMAKE_BUILD_TYPE=Release'],
    ['--build', build, '-j2']
  ]) {
    if (!existsSync('firmware/CMakeLists.txt')) return
    spawnSync('cmake', args, { stdio: 'ignore' })
  }
}
