/**
 * `npm run server`: the core without Electron, for an always-on box at home and for tests.
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError, defaultHeadlessDataDir } from './core/config'
import { createCore, PortInUseError, type Core, type StartInfo } from './core/core'
import { DatabaseFromFutureError } from './core/store/db'
import { environmentWithDotenv } from './core/lib/dotenv'
import { APP_VERSION } from './core/lib/version'

const HELP = `Pastillero ${APP_VERSION}: home server for ESP32 pill dispensers (headless)

Usage: npm run server -- [options]      (or: node out/main/headless.js [options])

Options:
  --port <n>         API and dashboard port            (PASTILLERO_PORT, default 8000)
  --host <addr>      listen address                     (PASTILLERO_HOST, default 0.0.0.0)
  --data-dir <dir>   where the database and files live  (PASTILLERO_DATA_DIR,
                     default ${defaultHeadlessDataDir()})
  --trust-proxy      behind a reverse proxy: client address from X-Real-IP /
                     X-Forwarded-For, Secure cookies when X-Forwarded-Proto
                     is https                           (PASTILLERO_TRUST_PROXY)
  -h, --help         show this help
  -v, --version      print the version

Environment (also read from ./.env; see .env.example):
  API_SECRET_KEY     the key dispensers send as X-API-Key (generated and kept when unset)
  ADMIN_PASSWORD     password of the first dashboard account, "admin" (generated
                     and printed once when unset)
  PASTILLERO_ALLOWED_HOSTS  names the dashboard is reached by besides this
                     machine's own (e.g. a proxy's public name), comma-separated
`

function fail(message: string, code = 2): never {
  process.stderr.write(`pastillero: ${message}\n`)
  process.exit(code)
}

/** The first and last two characters, enough to tell keys apart, not to use one. */
function maskSecret(secret: string): string {
  return secret.length <= 8 ? '••••' : `${secret.slice(0, 2)}…${secret.slice(-2)}`
}

function mdnsLine(name: string | undefined): string {
  return name
    ? `advertised as "${name}" (_pastillero._tcp); dispensers find this server by itself`
    : "not advertised (see the log above); dispensers need this machine's address"
}

async function main(): Promise<void> {
  let args
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (err) {
    fail(`${(err as Error).message}. See --help.`)
  }
  if (args.help) {
    process.stdout.write(HELP)
    return
  }
  if (args.version) {
    process.stdout.write(`${APP_VERSION}\n`)
    return
  }

  const here = dirname(fileURLToPath(import.meta.url))
  const env = environmentWithDotenv(resolve('.env'))
  /** The core that is starting or running (core.stop() waits for a start in progress). */
  let core: Core | undefined
  let restarting: Promise<void> | undefined

  // Installed before anything starts: a stop that arrives during start-up (a supervisor that
  // restarts quickly, or stops us as soon as it sees the address) waits for the start to settle,
  // then stops gracefully: mDNS goodbye, HTTP closed, database closed, no backup cut mid-write.
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`Stopping (${signal})…\n`)
    Promise.resolve(restarting)
      .then(() => core?.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`pastillero: error while stopping: ${String(err)}\n`)
          process.exit(1)
        }
      )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  /** Creates and starts a core; a restore from the dashboard replaces it with a fresh one. */
  const boot = async (): Promise<StartInfo> => {
    let created: Core
    try {
      created = createCore({
        env,
        flags: {
          port: args.port,
          host: args.host,
          dataDir: args['data-dir'],
          trustProxy: args['trust-proxy'] ? true : undefined
        },
        defaultDataDir: defaultHeadlessDataDir(),
        staticDir: join(here, '../renderer'),
        discovery: true,
        backups: true,
        fileLogging: true,
        requestRestart: () => void restart()
      })
    } catch (err) {
      if (err instanceof ConfigError || err instanceof DatabaseFromFutureError) fail(err.message)
      throw err
    }
    core = created
    try {
      return await created.start()
    } catch (err) {
      await created.stop()
      if (err instanceof PortInUseError || err instanceof ConfigError) fail(err.message)
      throw err
    }
  }

  const restart = () => {
    if (restarting || stopping) return
    restarting = (async () => {
      process.stdout.write('Restarting to apply a restore…\n')
      await core?.stop()
      if (stopping) return
      const info = await boot()
      process.stdout.write(`Pastillero is running again at ${info.url}/\n`)
    })()
      .catch((err: unknown) =>
        fail(`could not restart: ${err instanceof Error ? err.message : String(err)}`, 1)
      )
      .finally(() => (restarting = undefined))
  }

  const info = await boot()
  if (stopping) return // a stop arrived during start-up; shutdown() finishes it
  const lines = [
    `Pastillero ${APP_VERSION} is running.`,
    `  Dashboard:   ${info.url}/   (from other devices on the LAN: http://<this machine's IP>:${info.port}/)`,
    `  API docs:    ${info.url}/docs`,
    `  Data:        ${core!.config.dataDir}`,
    `  mDNS:        ${mdnsLine(core!.discoveryName())}`,
    // The key in full only when it was just made: a terminal's scrollback and a service's
    // journal are read by more people than the dashboard.
    `  Device key:  ${info.deviceKeyGenerated ? `${info.deviceKey}   (generated now and saved; shown in full only this once and in the dashboard's settings)` : `${maskSecret(info.deviceKey)}   (${core!.config.apiKey ? 'from API_SECRET_KEY; ' : ''}in full in the dashboard's settings)`}`
  ]
  if (info.generatedAdminPassword) {
    lines.push(
      `  Sign in as "admin" with this password (shown only this once; change it in the dashboard): ${info.generatedAdminPassword}`
    )
  }
  process.stdout.write(lines.join('\n') + '\n')
}

main().catch((err: unknown) =>
  fail(`unexpected error: ${err instanceof Error ? err.message : String(err)}`, 1)
)
