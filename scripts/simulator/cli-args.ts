import { parseArgs } from 'node:util'

export const USAGE = `Usage: npm run simulate -- --key KEY [options]

Simulates a fleet of ESP32 pill dispensers against a Pastillero server: heartbeats, reboots on
request, alarms and doses.

Options:
  --url URL               server base URL (default http://127.0.0.1:8000)
  --key KEY               device API key (X-API-Key); default $PASTILLERO_API_KEY or $API_SECRET_KEY
  --devices N             number of dispensers (default 10)
  --rate R                heartbeats per device per minute (default 2, i.e. every 30 s)
  --interval S            seconds between heartbeats (instead of --rate)
  --events-per-hour N     alarm cycles per device per hour (default 2); each cycle posts
                          alarm_triggered, then alarm_ack and dose_taken unless the dose is missed
  --miss-rate P           chance (0..1) that nobody answers an alarm (default 0.1)
  --lost-response-rate P  chance (0..1) that an event's answer is "lost" and the POST retried with
                          the same event_id (default 0)
  --ota-every N           check for a firmware update every N heartbeats and install it:
                          download, verify the MD5, post ota_start/ota_done, restart (default 0: never)
  --duration S            stop after S seconds (default: run until Ctrl-C)
  --seed TEXT             device ids and names derive from it (default "pastillero")
  --firmware VERSION      firmware_version to report (default 1.0.0)
  --stats-every S         seconds between stats lines (default 5)
  --no-token              never ask for a device token: send the shared key on every request,
                          as seed-era firmware does (default: ask for a token in the heartbeat,
                          then send Authorization: DeviceToken; on a 401 fall back to the key)
  -h, --help              show this help
`

export interface SimulateArgs {
  help: boolean
  url: string
  key: string
  devices: number
  intervalMs: number
  alarmsPerHour: number
  missRate: number
  lostResponseRate: number
  otaEveryBeats: number
  durationMs?: number
  seed: string
  firmware: string
  statsEveryMs: number
  /** Ask for and use a per-device token (off with --no-token). */
  useDeviceToken: boolean
}

/** A bad command line; the message is one line meant for the user. */
export class UsageError extends Error {
  override name = 'UsageError'
}

function parseNumber(
  flag: string,
  raw: string | undefined,
  fallback: number,
  check: { min: number; max: number; integer?: boolean; minExclusive?: boolean }
): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  const kind = check.integer ? 'a whole number' : 'a number'
  const range = `${check.minExclusive ? `> ${check.min}` : `≥ ${check.min}`} and ≤ ${check.max}`
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (check.integer && !Number.isInteger(value)) ||
    (check.minExclusive ? value <= check.min : value < check.min) ||
    value > check.max
  )
    throw new UsageError(`--${flag} must be ${kind} ${range}, got "${raw}"`)
  return value
}

/** Turns node:util's verbose parse errors into one line naming the flag. */
function explainParseError(err: unknown): UsageError {
  const e = err as { code?: string; message?: string }
  const message = e.message ?? String(err)
  const quoted = /'([^']+)'/.exec(message)?.[1]
  // Node quotes e.g. '--devices <value>' or '-h, --help': keep the long flag, or what is there.
  const flag = (quoted && (/--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(' ')[0])) ?? ''
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${flag} (see --help)`)
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument "${flag}" (flags start with --; see --help)`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        message.includes('does not take')
          ? `${flag} does not take a value`
          : `${flag} needs a value`
      )
    default:
      return new UsageError(message.split('\n')[0]!)
  }
}

export function parseSimulateArgs(
  argv: string[],
  env: Record<string, string | undefined> = {}
): SimulateArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        url: { type: 'string' },
        key: { type: 'string' },
        devices: { type: 'string' },
        rate: { type: 'string' },
        interval: { type: 'string' },
        'events-per-hour': { type: 'string' },
        'miss-rate': { type: 'string' },
        'lost-response-rate': { type: 'string' },
        'ota-every': { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        firmware: { type: 'string' },
        'stats-every': { type: 'string' },
        'no-token': { type: 'boolean' }
      }
    }))
  } catch (err) {
    throw explainParseError(err)
  }
  const str = (name: string) => values[name] as string | undefined

  const help = values.help === true
  const url = str('url') ?? 'http://127.0.0.1:8000'
  let parsedUrl: URL
  try {
    parsedUrl = new URL(url)
  } catch {
    throw new UsageError(`--url must be a URL like http://127.0.0.1:8000, got "${url}"`)
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:')
    throw new UsageError(`--url must start with http:// or https://, got "${url}"`)

  const key = str('key') ?? env.PASTILLERO_API_KEY ?? env.API_SECRET_KEY ?? ''
  if (!help && !key)
    throw new UsageError('--key is required (or set PASTILLERO_API_KEY); see --help')

  if (str('rate') !== undefined && str('interval') !== undefined)
    throw new UsageError('give either --rate or --interval, not both')
  let intervalMs = 30_000
  if (str('rate') !== undefined)
    intervalMs =
      60_000 / parseNumber('rate', str('rate'), 2, { min: 0, max: 6000, minExclusive: true })
  else if (str('interval') !== undefined)
    intervalMs = 1000 * parseNumber('interval', str('interval'), 30, { min: 0.01, max: 86_400 })

  const duration = str('duration')
  return {
    help,
    // Shown to the user and joined with API paths later; a bare origin reads better without '/'.
    url: parsedUrl.pathname === '/' ? parsedUrl.origin : parsedUrl.toString(),
    key,
    devices: parseNumber('devices', str('devices'), 10, { min: 1, max: 100_000, integer: true }),
    intervalMs,
    alarmsPerHour: parseNumber('events-per-hour', str('events-per-hour'), 2, {
      min: 0,
      max: 360_000
    }),
    missRate: parseNumber('miss-rate', str('miss-rate'), 0.1, { min: 0, max: 1 }),
    lostResponseRate: parseNumber('lost-response-rate', str('lost-response-rate'), 0, {
      min: 0,
      max: 1
    }),
    otaEveryBeats: parseNumber('ota-every', str('ota-every'), 0, {
      min: 0,
      max: 1_000_000,
      integer: true
    }),
    durationMs:
      duration === undefined
        ? undefined
        : 1000 * parseNumber('duration', duration, 0, { min: 0, max: 1e7, minExclusive: true }),
    seed: str('seed') ?? 'pastillero',
    firmware: str('firmware') ?? '1.0.0',
    statsEveryMs: 1000 * parseNumber('stats-every', str('stats-every'), 5, { min: 0.1, max: 3600 }),
    useDeviceToken: values['no-token'] !== true
  }
}
