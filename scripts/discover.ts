/**
 * `npm run discover`: lists every Pastillero server advertising `_pastillero._tcp` on the LAN, the
 * way a dispenser would find it. Useful to check that discovery works before blaming the firmware.
 */
import { parseArgs } from 'node:util'
import { Bonjour, type Service } from 'bonjour-service'

const HELP = `Usage: npm run discover -- [--timeout <seconds>] [--json]

Browses the local network by mDNS for Pastillero servers (_pastillero._tcp) and prints each one
found: instance name, host, addresses, port and TXT records (path, api, version, id).

Options:
  --timeout <s>   how long to listen, in seconds (default 5)
  --json          print one JSON object per server instead of text
  -h, --help      show this help

Exit code: 0 when at least one server was found, 1 when none, 2 on bad usage.
`

export interface FoundServer {
  name: string
  host: string
  addresses: string[]
  port: number
  txt: Record<string, string>
}

export function describeServer(s: FoundServer): string {
  const txt = Object.entries(s.txt)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  const base = s.txt.path ? `http://${s.addresses[0] ?? s.host}:${s.port}${s.txt.path}` : ''
  return [
    `${s.name}`,
    `  host:      ${s.host}`,
    `  addresses: ${s.addresses.length ? s.addresses.join(', ') : '(none announced)'}`,
    `  port:      ${s.port}`,
    `  txt:       ${txt || '(none)'}`,
    ...(base ? [`  API:       ${base}`] : [])
  ].join('\n')
}

function toFound(service: Service): FoundServer {
  const txt: Record<string, string> = {}
  for (const [k, v] of Object.entries((service.txt ?? {}) as Record<string, unknown>))
    txt[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v)
  return {
    name: service.name,
    host: service.host,
    addresses: [...(service.addresses ?? [])].sort(),
    port: service.port,
    txt
  }
}

/** Browses for `timeoutMs` and returns what answered (the latest data for each name). */
export async function discoverServers(timeoutMs: number): Promise<FoundServer[]> {
  const bonjour = new Bonjour({}, () => undefined)
  const found = new Map<string, FoundServer>()
  const browser = bonjour.find({ type: 'pastillero', protocol: 'tcp' })
  const record = (service: Service) => found.set(service.fqdn ?? service.name, toFound(service))
  browser.on('up', record)
  browser.on('srv-update', record)
  browser.on('txt-update', record)
  browser.on('down', (service: Service) => found.delete(service.fqdn ?? service.name))
  // Responders may miss the first query; ask again once halfway through.
  const again = setTimeout(() => browser.update(), Math.min(1000, timeoutMs / 2))
  await new Promise((resolve) => setTimeout(resolve, timeoutMs))
  clearTimeout(again)
  browser.stop()
  await new Promise<void>((resolve) => bonjour.destroy(() => resolve()))
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name))
}

async function main(): Promise<number> {
  let values
  try {
    values = parseArgs({
      options: {
        timeout: { type: 'string', default: '5' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (err) {
    process.stderr.write(`discover: ${(err as Error).message}. See --help.\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const seconds = Number(values.timeout)
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    process.stderr.write('discover: --timeout must be a number of seconds between 0 and 600\n')
    return 2
  }
  if (!values.json) process.stdout.write(`Looking for Pastillero servers for ${seconds} s…\n`)
  const servers = await discoverServers(seconds * 1000)
  if (values.json) {
    for (const s of servers) process.stdout.write(JSON.stringify(s) + '\n')
  } else if (servers.length === 0) {
    process.stdout.write(
      'None found. Is the server running with mDNS on (setting mdns_enabled), on this network?\n'
    )
  } else {
    process.stdout.write(servers.map(describeServer).join('\n\n') + '\n')
    process.stdout.write(`${servers.length} found.\n`)
  }
  return servers.length > 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`discover: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
)
