/**
 * Shared pieces of the mDNS suite: the check that we are inside a private network namespace
 * (never multicast on a real LAN), a browser that records what it sees, and test interfaces.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Bonjour, type Browser, type Service } from 'bonjour-service'

/** This network namespace's interfaces (/proc/self/net is per namespace, unlike /sys). */
function interfaceNames(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0]!.trim())
    .filter(Boolean)
}

function hasMulticastRouteOnLo(): boolean {
  // Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask…; addresses little-endian hex.
  return readFileSync('/proc/self/net/route', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some((f) => f[0] === 'lo' && f[1] === '000000E0' && f[7] === '000000F0')
}

/** Why the suite must not run here, or undefined when it is safe (only `lo`, multicast routed). */
export function namespaceProblem(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces'
  let names: string[]
  try {
    names = interfaceNames()
  } catch {
    return 'cannot read /proc/self/net/dev'
  }
  const others = names.filter((n) => n !== 'lo')
  if (others.length)
    return (
      `not inside a private network namespace (interfaces here: ${names.join(', ')}); ` +
      'run bash scripts/test-discovery.sh so multicast cannot reach a real network'
    )
  if (!hasMulticastRouteOnLo())
    return 'no 224.0.0.0/4 route on lo; run bash scripts/test-discovery.sh'
  return undefined
}

export const NAMESPACE_PROBLEM = namespaceProblem()
if (NAMESPACE_PROBLEM) console.warn(`mDNS tests skipped: ${NAMESPACE_PROBLEM}`)
/** Suite title that carries the skip reason into the test report. */
export const suiteTitle = (title: string) =>
  NAMESPACE_PROBLEM ? `${title} — SKIPPED: ${NAMESPACE_PROBLEM}` : title

export interface SeenEvent {
  kind: 'up' | 'down'
  service: Service
}

/** A bonjour browser for _pastillero._tcp that keeps every up/down it sees. */
export class WatchingBrowser {
  readonly events: SeenEvent[] = []
  private readonly bonjour = new Bonjour({}, () => undefined)
  private readonly browser: Browser
  private waiters: Array<() => void> = []

  constructor() {
    this.browser = this.bonjour.find({ type: 'pastillero', protocol: 'tcp' })
    this.browser.on('up', (service: Service) => this.push({ kind: 'up', service }))
    this.browser.on('down', (service: Service) => this.push({ kind: 'down', service }))
  }

  private push(e: SeenEvent): void {
    this.events.push(e)
    for (const w of this.waiters) w()
  }

  /** Resolves with the first event (already seen or future) matching, after index `from`. */
  waitFor(
    match: (e: SeenEvent) => boolean,
    opts: { from?: number; timeoutMs?: number; what?: string } = {}
  ): Promise<SeenEvent> {
    const from = opts.from ?? 0
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.slice(from).find(match)
        if (!hit) return false
        cleanup()
        resolve(hit)
        return true
      }
      const timer = setTimeout(() => {
        cleanup()
        const seen = this.events.map((e) => `${e.kind} ${e.service.name}`).join(', ')
        reject(new Error(`timed out waiting for ${opts.what ?? 'an event'}; seen: [${seen}]`))
      }, opts.timeoutMs ?? 8000)
      const waiter = () => void check()
      const cleanup = () => {
        clearTimeout(timer)
        this.waiters = this.waiters.filter((w) => w !== waiter)
      }
      this.waiters.push(waiter)
      check()
    })
  }

  up(name: string, opts: { from?: number; timeoutMs?: number } = {}): Promise<Service> {
    return this.waitFor((e) => e.kind === 'up' && e.service.name === name, {
      ...opts,
      what: `"${name}" up`
    }).then((e) => e.service)
  }

  down(name: string, opts: { from?: number; timeoutMs?: number } = {}): Promise<Service> {
    return this.waitFor((e) => e.kind === 'down' && e.service.name === name, {
      ...opts,
      what: `"${name}" down`
    }).then((e) => e.service)
  }

  /** Asks the network again (a fresh PTR query), as a browser does periodically. */
  query(): void {
    this.browser.update()
  }

  async close(): Promise<void> {
    this.browser.stop()
    await new Promise<void>((resolve) => this.bonjour.destroy(() => resolve()))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' })
}

/**
 * Adds an interface with an IPv4 address inside the test's namespace (refuses anywhere else) and
 * returns its removal. Uses a dummy interface, or a veth pair where the dummy module is missing.
 */
export function addTestInterface(name: string, cidr: string): () => void {
  // Checked when the suite loaded, before any test interface existed.
  if (NAMESPACE_PROBLEM) throw new Error(`refusing to add an interface: ${NAMESPACE_PROBLEM}`)
  let peer: string | undefined
  try {
    ip('link', 'add', name, 'type', 'dummy')
  } catch {
    peer = `${name}p`
    ip('link', 'add', name, 'type', 'veth', 'peer', 'name', peer)
  }
  for (const dev of [name, peer].filter(Boolean) as string[]) {
    try {
      // No IPv6 link-local address: it would appear a moment later and re-announce again.
      ip('link', 'set', 'dev', dev, 'addrgenmode', 'none')
    } catch {
      // older iproute2: the extra re-announce is harmless
    }
  }
  ip('addr', 'add', cidr, 'dev', name)
  ip('link', 'set', name, 'up')
  if (peer) ip('link', 'set', peer, 'up')
  return () => {
    try {
      ip('link', 'del', name) // deleting one end of a veth removes its peer
    } catch {
      // already gone
    }
  }
}
