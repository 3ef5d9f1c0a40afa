import { EventEmitter } from 'node:events'
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { Bonjour, type Service } from 'bonjour-service'
import { createLogger, type Logger } from '../lib/logger'

/** DNS-SD type without underscores, as bonjour-service and ESPmDNS's queryService take it. */
export const SERVICE_TYPE = 'pastillero'
export const SERVICE_PROTOCOL = 'tcp'
export const DEFAULT_SERVICE_NAME = 'Pastillero'

export interface MdnsAdvertiserOptions {
  /** The HTTP port dispensers should call (the SRV record's port). */
  port: number
  /** Stable per installation, so a dispenser can tell two servers apart across renames. */
  instanceId: string
  version: string
  /** Base instance name; a conflict turns it into "Name (2)", "Name (3)"… */
  name?: string
  /** Target host of the SRV record; defaults to mdnsHostName(). */
  host?: string
  log?: Logger
  /** How often network interfaces are compared to detect a change (ms). */
  interfacePollMs?: number
  /** Source of interfaces, for the fingerprint; os.networkInterfaces by default. */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>
}

export interface MdnsAdvertiserEvents {
  /** Emitted every time the service is (re)announced, with the name in use. */
  published: [name: string]
}

/**
 * Advertises the server as `_pastillero._tcp` so dispensers find it without a fixed address.
 *
 * bonjour-service does the record keeping and answering; this class adds what it lacks:
 * a `.local` host name (ESP-IDF rejects bare host names), a real answer to name conflicts
 * (bonjour-service only logs them and silently stays unpublished), re-announcing when network
 * interfaces change (it snapshots A/AAAA records at publish time), and a stop() that resolves
 * only after the goodbye packet has left.
 */
export class MdnsAdvertiser extends EventEmitter<MdnsAdvertiserEvents> {
  readonly host: string
  private readonly baseName: string
  private readonly log: Logger
  private readonly pollMs: number
  private readonly interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>
  private bonjour: Bonjour | undefined
  private mdns: MulticastDns | undefined
  private service: Service | undefined
  private currentName: string | undefined
  private fingerprint = ''
  private pollTimer: NodeJS.Timeout | undefined
  /** Publishing, re-announcing and stopping run one at a time, in order. */
  private work: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(private readonly options: MdnsAdvertiserOptions) {
    super()
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
      throw new RangeError(`mDNS needs a real TCP port to advertise, got ${options.port}`)
    this.host = options.host ?? mdnsHostName()
    this.baseName = options.name ?? DEFAULT_SERVICE_NAME
    this.log = options.log ?? createLogger('mdns')
    this.pollMs = options.interfacePollMs ?? 5000
    this.interfaces = options.interfaces ?? networkInterfaces
  }

  /** The instance name being advertised (after conflict resolution), or undefined if not up. */
  get name(): string | undefined {
    return this.currentName
  }

  async start(): Promise<void> {
    if (this.bonjour) return
    this.stopped = false
    // Without this callback bonjour-service throws from its socket callback when a reply cannot
    // be sent (e.g. the network just went away), which would take the whole server down.
    this.bonjour = new Bonjour({}, (err: Error) =>
      this.log.warn(`mDNS reply not sent: ${err.message}`)
    )
    this.mdns = multicastDnsOf(this.bonjour)
    // multicast-dns emits 'error' (bind failures) on an emitter with no listener: that would
    // throw. Discovery is a convenience, so it logs instead; the HTTP API keeps working.
    this.mdns.on('error', (err: Error) => this.log.warn(`mDNS socket error: ${err.message}`))
    this.mdns.on('warning', () => {
      // Per-interface membership failures (an interface without multicast); not actionable.
    })
    this.fingerprint = interfaceFingerprint(this.interfaces())
    await this.enqueue(() => this.publish(1))
    this.pollTimer = setInterval(() => this.checkInterfaces(), this.pollMs)
    this.pollTimer.unref()
  }

  /** Sends the goodbye (TTL 0 records) and closes the socket; resolves once both are done. */
  async stop(): Promise<void> {
    if (this.stopped || !this.bonjour) return
    this.stopped = true
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.pollTimer = undefined
    const bonjour = this.bonjour
    await this.enqueue(async () => {
      await new Promise<void>((resolve) => bonjour.unpublishAll(() => resolve()))
      await new Promise<void>((resolve) => bonjour.destroy(() => resolve()))
    })
    this.bonjour = undefined
    this.mdns = undefined
    this.service = undefined
    if (this.currentName) this.log.info(`mDNS: "${this.currentName}" withdrawn`)
    this.currentName = undefined
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.work.then(job)
    // A failed job must not wedge the queue for stop().
    this.work = next.catch((err: unknown) =>
      this.log.warn(`mDNS: ${err instanceof Error ? err.message : String(err)}`)
    )
    return next
  }

  private checkInterfaces(): void {
    const now = interfaceFingerprint(this.interfaces())
    if (now === this.fingerprint || this.stopped) return
    this.fingerprint = now
    this.log.info('network interfaces changed: announcing the service again')
    void this.enqueue(async () => {
      if (this.stopped) return
      await this.unpublish()
      // Keep our current number if it is still free; only a new conflict moves it on.
      await this.publish(nameIndex(this.currentName, this.baseName))
    })
  }

  private async unpublish(): Promise<void> {
    const service = this.service
    this.service = undefined
    if (!service) return
    await new Promise<void>((resolve) => service.stop?.(() => resolve()))
  }

  private async publish(firstIndex: number): Promise<void> {
    const bonjour = this.bonjour
    if (!bonjour || this.stopped) return
    let index = firstIndex
    let name = instanceName(this.baseName, index)
    while (await this.nameIsTaken(name)) {
      if (this.stopped) return
      const next = instanceName(this.baseName, ++index)
      this.log.warn(`mDNS: the name "${name}" is already in use on the network; using "${next}"`)
      name = next
      if (index > 99) throw new Error('mDNS: no free service name after 99 tries')
    }
    if (this.stopped) return
    const service = bonjour.publish({
      name,
      type: SERVICE_TYPE,
      protocol: SERVICE_PROTOCOL,
      port: this.options.port,
      host: this.host,
      txt: {
        path: '/api',
        api: '1',
        version: this.options.version,
        id: this.options.instanceId
      },
      // We probed above, and unlike bonjour-service's probe we act on the answer.
      probe: false
    })
    this.service = service
    this.currentName = name
    await waitForUp(service, 5000)
    this.log.info(
      `mDNS: advertising "${name}" (_${SERVICE_TYPE}._${SERVICE_PROTOCOL}) on ${this.host}:${this.options.port}`
    )
    this.emit('published', name)
  }

  /**
   * RFC 6762 §8.1 probing: ask three times, 250 ms apart, for any record with this instance's
   * name; any live answer from another responder means the name is taken. Goodbyes (TTL 0) are
   * ignored: they include our own, looping back after a re-announce.
   */
  private nameIsTaken(name: string): Promise<boolean> {
    const mdns = this.mdns
    if (!mdns) return Promise.resolve(false)
    const fqdn = `${name}._${SERVICE_TYPE}._${SERVICE_PROTOCOL}.local`.toLowerCase()
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined
      let sent = 0
      const onResponse = (packet: DnsPacket) => {
        const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])]
        if (records.some((rr) => rr.ttl !== 0 && rr.name.toLowerCase() === fqdn)) finish(true)
      }
      const finish = (taken: boolean) => {
        if (timer) clearTimeout(timer)
        mdns.removeListener('response', onResponse)
        resolve(taken)
      }
      const send = () => {
        if (this.stopped) return finish(false)
        sent++
        mdns.query({ questions: [{ name: fqdn, type: 'ANY' }] })
        timer = setTimeout(sent < 3 ? send : () => finish(false), 250)
      }
      mdns.on('response', onResponse)
      send()
    })
  }
}

const HOST_SUFFIX = '-pastillero'

/**
 * `<os host name>-pastillero.local`: the SRV target and the name of the A/AAAA records.
 *
 * It ends in `.local` because ESP-IDF's resolver rejects bare names (bonjour-service's default).
 * It is not the bare `<os host name>.local` because the OS's own responder (mDNSResponder, Avahi,
 * systemd-resolved) owns that name: a second responder announcing it with another set of
 * addresses (VPN, Docker bridges) is a conflict to them, and macOS then renames the computer
 * ("foo-2.local"), as reported for bonjour-service (watson/bonjour#24). Dispensers use the
 * addresses in the answer, so the exact host name does not matter to them.
 */
export function mdnsHostName(osHostname: string = hostname()): string {
  const label = (osHostname.split('.')[0] ?? '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63 - HOST_SUFFIX.length)
    .replace(/-+$/, '')
  return `${label ? label + HOST_SUFFIX : 'pastillero'}.local`
}

/** "Pastillero", "Pastillero (2)", "Pastillero (3)"… — the form macOS and Avahi use. */
export function instanceName(base: string, index: number): string {
  return index <= 1 ? base : `${base} (${index})`
}

function nameIndex(name: string | undefined, base: string): number {
  if (!name || name === base) return 1
  const match = /\((\d+)\)$/.exec(name)
  return match ? Number(match[1]) : 1
}

/**
 * The addresses bonjour-service would put in A/AAAA records (non-internal ones), sorted, so a
 * change in any of them — a new Wi-Fi, a VPN coming up, DHCP renewing to another address — is
 * noticed.
 */
export function interfaceFingerprint(ifaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  const entries: string[] = []
  for (const [name, addrs] of Object.entries(ifaces)) {
    for (const a of addrs ?? []) {
      if (a.internal || a.mac === '00:00:00:00:00:00') continue
      entries.push(`${name}/${a.family}/${a.address}`)
    }
  }
  return entries.sort().join(',')
}

function waitForUp(service: Service, timeoutMs: number): Promise<void> {
  if (service.published) return Promise.resolve()
  return new Promise((resolve) => {
    // 'up' fires once the first announcement has been handed to the socket (even if the send
    // failed); the timer only guards against a socket that never binds.
    const timer = setTimeout(resolve, timeoutMs)
    timer.unref()
    service.once('up', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

interface DnsRecord {
  name: string
  type: string
  ttl?: number
  data?: unknown
}

interface DnsPacket {
  answers?: DnsRecord[]
  additionals?: DnsRecord[]
}

interface MulticastDns {
  on(event: 'response', listener: (packet: DnsPacket) => void): unknown
  on(event: 'error' | 'warning', listener: (err: Error) => void): unknown
  removeListener(event: 'response', listener: (packet: DnsPacket) => void): unknown
  query(query: { questions: Array<{ name: string; type: string }> }): void
}

/**
 * bonjour-service keeps its multicast-dns socket private, but probing needs to send a query and
 * read raw responses, and its 'error' event needs a listener. Reaching in is checked here so a
 * future bonjour-service that moves it fails loudly in tests rather than silently.
 */
function multicastDnsOf(bonjour: Bonjour): MulticastDns {
  const mdns = (bonjour as unknown as { server?: { mdns?: Partial<MulticastDns> } }).server?.mdns
  if (!mdns || typeof mdns.query !== 'function' || typeof mdns.on !== 'function')
    throw new Error('bonjour-service no longer exposes server.mdns; update MdnsAdvertiser')
  return mdns as MulticastDns
}
