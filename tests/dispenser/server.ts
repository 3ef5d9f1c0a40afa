import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export const E2E_DEVICE_KEY = 'dispenser-e2e-device-key-0123456789'
export const E2E_ADMIN_PASSWORD = 'dispenser e2e password'

const ENTRY = resolve('src/main/headless.ts')
// `node --import tsx` keeps the server in this one process (the tsx binary would fork), so
// stopping or killing it really stops the server.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface ServerOptions {
  dataDir?: string
  /** 0 picks a free port; a restart passes the port the first start got. */
  port?: number
  host?: string
  /** Command prefix, e.g. ['ip', 'netns', 'exec', ns] to run it in a network namespace. */
  wrap?: string[]
  env?: Record<string, string>
  timeoutMs?: number
}

/** The real headless server as its own process (what `npm run server` starts). */
export class ServerProcess {
  readonly dataDir: string
  private ownsDir: boolean
  child!: ChildProcess
  port = 0
  private out = ''
  private exited!: Promise<void>

  private constructor(private readonly options: ServerOptions) {
    this.ownsDir = !options.dataDir
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pastillero-e2e-'))
  }

  static async start(options: ServerOptions = {}): Promise<ServerProcess> {
    const server = new ServerProcess(options)
    await server.launch(options.port ?? 0)
    return server
  }

  /** http://127.0.0.1:<port> (for a server in this namespace). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  output(): string {
    return this.out
  }

  private launch(port: number): Promise<void> {
    const { host = '127.0.0.1', wrap = [], env = {}, timeoutMs = 30_000 } = this.options
    const args = [
      '--import',
      TSX_LOADER,
      ENTRY,
      '--port',
      String(port),
      '--host',
      host,
      '--data-dir',
      this.dataDir
    ]
    const [command, ...prefix] = wrap.length ? wrap : [process.execPath]
    this.out = ''
    this.child = spawn(command!, wrap.length ? [...prefix, process.execPath, ...args] : args, {
      cwd: join(this.dataDir, '..'), // no stray .env
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        API_SECRET_KEY: E2E_DEVICE_KEY,
        ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const child = this.child
    this.exited = new Promise((done) => child.once('exit', () => done()))
    return new Promise((ready, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        fail(new Error(`server did not start in ${timeoutMs} ms:\n${this.out}`))
      }, timeoutMs)
      let started = false
      child.stdout!.on('data', (d: Buffer) => {
        this.out += d.toString()
        const m = /is running[\s\S]*Dashboard:\s+http:\/\/[^\s/]+:(\d+)\//.exec(this.out)
        if (!m || started) return
        started = true
        clearTimeout(timer)
        this.port = Number(m[1])
        ready()
      })
      child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()))
      void this.exited.then(() => {
        clearTimeout(timer)
        fail(new Error(`server exited before it was ready:\n${this.out}`))
      })
    })
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Graceful stop (SIGTERM, as systemd or Ctrl-C would); the data dir stays. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000)
    await this.exited
    clearTimeout(timer)
  }

  /** Starts again on the same data dir and port (a server back after an outage). */
  async restart(): Promise<void> {
    await this.stop()
    await this.launch(this.port)
  }

  async dispose(): Promise<void> {
    await this.stop()
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true })
  }

  /** A signed-in admin session (Cookie header value). */
  async login(): Promise<string> {
    const res = await fetch(`${this.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: E2E_ADMIN_PASSWORD })
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
    return res.headers.get('set-cookie')!.split(';')[0]!
  }
}
