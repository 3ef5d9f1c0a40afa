import { createHash, randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { credentialHeaders, postJson, type PostOutcome } from './http'
import type { DeviceIdentity } from './identity'
import { between, exponentialDelayMs, jittered, seededRandom, type Random } from './random'

/** How a simulated dispenser behaves. Every field has a default (DEFAULT_BEHAVIOUR). */
export interface DeviceBehaviour {
  /** Time between heartbeats, measured start to start (the seed's firmware beats every 30-60 s). */
  intervalMs: number
  /** Each wait is spread by ±this fraction, so a fleet does not beat in lockstep. */
  jitter: number
  /** The first beat comes at a random moment within this window; 0 beats at once. */
  firstBeatWithinMs: number
  /** Alarm cycles per hour (Poisson arrivals); 0 disables alarms. */
  alarmsPerHour: number
  /** alarm_triggered → alarm_ack: how long the person takes to press the button. */
  ackDelayMs: [number, number]
  /** alarm_ack → dose_taken: the pill drawer opening. */
  doseDelayMs: [number, number]
  /** Chance that nobody answers an alarm: only alarm_triggered is posted for that cycle. */
  missedDoseProbability: number
  /** Silence between posting the `reboot` event and the first heartbeat after it. */
  bootDelayMs: number
  /** Adds `boot_count` to the heartbeat body (the core ignores unknown fields). */
  reportBootCount: boolean
  requestTimeoutMs: number
  /** Event POSTs: attempts in all (first try included) and exponential backoff between them. */
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number }
  /**
   * Fault injection: the chance that a successful event response is treated as lost, as when
   * Wi-Fi drops after the server committed. The device then retries with the same event_id, which
   * is exactly the case idempotent events exist for.
   */
  lostResponseProbability: number
  /** How the device stamps events: `time(nullptr)` seconds (what an ESP32 sends), ms, or ISO. */
  timestampFormat: 'epoch-seconds' | 'epoch-millis' | 'iso'
  alarmLabels: readonly string[]
  /** Ask GET /api/ota/check every this many heartbeats (0: never). Seed firmware checks at boot. */
  otaCheckEveryBeats: number
  /** Chance that an update fails on the device (it then posts ota_fail and keeps its version). */
  otaFailureProbability: number
  /**
   * Ask for a device token (`supports_device_token` in the heartbeat), keep it across reboots as
   * flash would, and send `Authorization: DeviceToken …` instead of the shared key; on a 401 with
   * the token, forget it and fall back to the shared key, as the reference firmware does.
   */
  useDeviceToken: boolean
}

export const DEFAULT_BEHAVIOUR: DeviceBehaviour = {
  intervalMs: 30_000,
  jitter: 0.1,
  firstBeatWithinMs: 30_000,
  alarmsPerHour: 0,
  ackDelayMs: [5_000, 60_000],
  doseDelayMs: [1_000, 5_000],
  missedDoseProbability: 0.1,
  bootDelayMs: 3_000,
  reportBootCount: false,
  requestTimeoutMs: 5_000,
  retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000 },
  lostResponseProbability: 0,
  timestampFormat: 'epoch-seconds',
  alarmLabels: ['Medicamento mañana', 'Medicamento mediodía', 'Medicamento noche'],
  otaCheckEveryBeats: 0,
  otaFailureProbability: 0,
  useDeviceToken: true
}

export interface DeviceStats {
  heartbeatsSent: number
  heartbeatsOk: number
  heartbeatsFailed: number
  /** Sum and maximum of successful heartbeat round trips, for a mean in reports. */
  heartbeatLatencyMsTotal: number
  heartbeatLatencyMsMax: number
  /** Distinct events made by the device (each with its own event_id). */
  eventsSent: number
  /** Events the server acknowledged (a retry answered `duplicate: true` counts once). */
  eventsOk: number
  /** Events given up on: out of attempts, refused with a 4xx, or cut short by reboot/stop. */
  eventsFailed: number
  /** HTTP attempts for events, first tries and retries together. */
  eventPosts: number
  eventRetries: number
  /** Retries the server recognised as already stored. */
  eventDuplicates: number
  /** Successful responses discarded by `lostResponseProbability`. */
  responsesDropped: number
  alarms: number
  dosesTaken: number
  dosesMissed: number
  rebootsObeyed: number
  unknownCommands: number
  updatesInstalled: number
  updatesFailed: number
}

export type DeviceState = 'idle' | 'running' | 'booting' | 'stopped'

/** Things worth a log line: a reboot, an unknown command, a request that failed. */
export interface DeviceActivity {
  device_id: string
  kind:
    | 'reboot'
    | 'booted'
    | 'command'
    | 'update'
    | 'heartbeat-failed'
    | 'event-failed'
    | 'token'
    | 'internal-error'
  message: string
}

export interface SimulatedDeviceOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8000` (a path prefix behind a proxy works). */
  url: string
  apiKey: string
  identity: DeviceIdentity
  firmwareVersion?: string
  behaviour?: Partial<DeviceBehaviour>
  /** Defaults to a generator seeded from the device id, so each device is reproducible. */
  random?: Random
  /**
   * Part of every event_id, so a second run of the same fleet (same device ids) does not reuse the
   * first run's ids and see its events swallowed as duplicates. Random by default.
   */
  runId?: string
  onActivity?: (activity: DeviceActivity) => void
}

export interface SentEvent {
  device_id: string
  type: string
  payload: Record<string, unknown>
  timestamp: number | string
  event_id: string
}

export function emptyDeviceStats(): DeviceStats {
  return {
    heartbeatsSent: 0,
    heartbeatsOk: 0,
    heartbeatsFailed: 0,
    heartbeatLatencyMsTotal: 0,
    heartbeatLatencyMsMax: 0,
    eventsSent: 0,
    eventsOk: 0,
    eventsFailed: 0,
    eventPosts: 0,
    eventRetries: 0,
    eventDuplicates: 0,
    responsesDropped: 0,
    alarms: 0,
    dosesTaken: 0,
    dosesMissed: 0,
    rebootsObeyed: 0,
    unknownCommands: 0,
    updatesInstalled: 0,
    updatesFailed: 0
  }
}

function joinUrl(base: string, path: string): string {
  return new URL(path, base.endsWith('/') ? base : `${base}/`).toString()
}

/**
 * One fake dispenser. It runs two loops per boot: heartbeats (sequential, like the firmware's
 * blocking loop: the next beat waits for the previous answer) and alarms. A reboot ends both loops
 * by aborting the boot's signal, waits out the boot delay and starts fresh loops, which mirrors an
 * ESP32 losing its RAM: a pending acknowledgement does not survive a restart.
 */
export class SimulatedDevice {
  readonly identity: DeviceIdentity
  firmwareVersion: string
  readonly behaviour: DeviceBehaviour
  private readonly random: Random
  private readonly runId: string
  private readonly heartbeatUrl: string
  private readonly eventsUrl: string
  private readonly counters = emptyDeviceStats()
  private currentState: DeviceState = 'idle'
  private bootCount = 1
  private sequence = 0
  /** Aborted by stop(): ends everything, including the boot delay. */
  private readonly lifetime = new AbortController()
  /** Aborted by a reboot or stop(): ends the current boot's loops, waits and retries. */
  private boot = new AbortController()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly sent: SentEvent[] = []
  /** The token the server gave this device; survives reboots, like a value in NVS. */
  private deviceToken: string | undefined

  constructor(private readonly options: SimulatedDeviceOptions) {
    this.identity = options.identity
    this.firmwareVersion = options.firmwareVersion ?? '1.0.0'
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour }
    this.random = options.random ?? seededRandom(`device:${options.identity.device_id}`)
    this.runId = options.runId ?? randomBytes(4).toString('hex')
    this.heartbeatUrl = joinUrl(options.url, 'api/devices/heartbeat')
    this.eventsUrl = joinUrl(options.url, 'api/events/')
  }

  get id(): string {
    return this.identity.device_id
  }

  get state(): DeviceState {
    return this.currentState
  }

  /** 1 after start, +1 per obeyed reboot. */
  get boots(): number {
    return this.bootCount
  }

  /** Whether the device holds a token of its own (it then no longer sends the shared key). */
  get hasToken(): boolean {
    return this.deviceToken !== undefined
  }

  stats(): DeviceStats {
    return { ...this.counters }
  }

  /** Every event this device made, in order (a retry is not a new entry). */
  sentEvents(): readonly SentEvent[] {
    return this.sent
  }

  start(): void {
    if (this.currentState !== 'idle') throw new Error(`device ${this.id} was already started`)
    this.startBoot(this.random.next() * this.behaviour.firstBeatWithinMs)
  }

  /**
   * Stops every loop and cancels pending waits (boot delay, backoff), then resolves once every
   * request already on the wire has settled, so a caller can close the server or exit safely.
   */
  async stop(): Promise<void> {
    this.currentState = 'stopped'
    this.lifetime.abort()
    this.boot.abort()
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  /** Posts one event now, with retries; resolves true once the server has stored it. */
  postEvent(type: string, payload: Record<string, unknown> = {}): Promise<boolean> {
    return this.track(this.sendEvent(type, payload, this.boot.signal))
  }

  private startBoot(firstBeatDelayMs: number): void {
    this.boot = new AbortController()
    // Every wait of this boot listens on the signal, and with frequent alarms many cycles wait at
    // once: more than Node's leak-warning threshold of 10 is expected here.
    setMaxListeners(0, this.boot.signal)
    this.currentState = 'running'
    const signal = this.boot.signal
    void this.track(this.heartbeatLoop(firstBeatDelayMs, signal))
    if (this.behaviour.alarmsPerHour > 0) void this.track(this.alarmLoop(signal))
  }

  /** Registers a task so stop() can wait for it; a bug inside it is reported, not thrown away. */
  private track<T>(task: Promise<T>): Promise<T> {
    const settled = task.then(
      () => undefined,
      (err: unknown) => {
        this.report(
          'internal-error',
          err instanceof Error ? (err.stack ?? err.message) : String(err)
        )
      }
    )
    this.inFlight.add(settled)
    void settled.finally(() => this.inFlight.delete(settled))
    return task
  }

  /** Waits `ms`; false when the signal fired first (reboot or stop), so the caller gives up. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false
    try {
      await sleep(Math.max(0, ms), undefined, { signal })
      return true
    } catch {
      return false
    }
  }

  private report(kind: DeviceActivity['kind'], message: string): void {
    this.options.onActivity?.({ device_id: this.id, kind, message })
  }

  private async post(url: string, body: unknown, retried = false): Promise<PostOutcome> {
    const token = this.deviceToken
    const outcome = await postJson(url, body, {
      apiKey: this.options.apiKey,
      deviceToken: token,
      timeoutMs: this.behaviour.requestTimeoutMs
    })
    if (outcome.status !== 401) return outcome
    // A heartbeat answered with a token while this request was on the wire (the shared key may
    // already be refused): send it again with the credential the device holds now.
    if (this.deviceToken !== token && !retried) return this.post(url, body, true)
    // Revoked or re-issued in the dashboard: forget it; the next request uses the shared key.
    if (token && this.deviceToken === token) {
      this.deviceToken = undefined
      this.report('token', 'token refused: back to the shared key')
    }
    return outcome
  }

  private credentials(): Record<string, string> {
    return credentialHeaders({ apiKey: this.options.apiKey, deviceToken: this.deviceToken })
  }

  private async heartbeatLoop(firstDelayMs: number, signal: AbortSignal): Promise<void> {
    if (!(await this.pause(firstDelayMs, signal))) return
    let beats = 0
    while (!signal.aborted) {
      const started = performance.now()
      const command = await this.heartbeat()
      beats++
      if (command !== undefined && !signal.aborted) {
        // A reboot replaces this loop with the next boot's; other commands fall through.
        if (await this.obey(command)) return
      }
      const every = this.behaviour.otaCheckEveryBeats
      if (every > 0 && beats % every === 0 && !signal.aborted) {
        // An installed update restarts the device, like a reboot.
        if (await this.checkForUpdate(signal)) return
      }
      const wait = jittered(this.random, this.behaviour.intervalMs, this.behaviour.jitter)
      if (!(await this.pause(wait - (performance.now() - started), signal))) return
    }
  }

  /** One heartbeat; returns the command the server handed out, if any. */
  private async heartbeat(): Promise<string | undefined> {
    this.counters.heartbeatsSent++
    const outcome = await this.post(this.heartbeatUrl, {
      device_id: this.identity.device_id,
      firmware_version: this.firmwareVersion,
      ip_address: this.identity.ip_address,
      status: 'online',
      name: this.identity.name,
      ...(this.behaviour.reportBootCount ? { boot_count: this.bootCount } : {}),
      ...(this.behaviour.useDeviceToken ? { supports_device_token: true } : {})
    })
    if (!outcome.ok) {
      // No retry: the next beat is the retry, as on the firmware.
      this.counters.heartbeatsFailed++
      this.report('heartbeat-failed', outcome.error ?? 'failed')
      return undefined
    }
    this.counters.heartbeatsOk++
    this.counters.heartbeatLatencyMsTotal += outcome.latencyMs
    this.counters.heartbeatLatencyMsMax = Math.max(
      this.counters.heartbeatLatencyMsMax,
      outcome.latencyMs
    )
    const answer = outcome.body as { command?: unknown; device_token?: unknown } | undefined
    if (this.behaviour.useDeviceToken && typeof answer?.device_token === 'string') {
      this.deviceToken = answer.device_token
      this.report('token', 'stored a device token')
    }
    const command = answer?.command
    return typeof command === 'string' ? command : undefined
  }

  /**
   * Carries out a command from a heartbeat answer; true when it took over the heartbeat loop.
   * OTA ("take an update") will be another case here, next to reboot.
   */
  private async obey(command: string): Promise<boolean> {
    if (command === 'reboot') {
      await this.reboot()
      return true
    }
    this.counters.unknownCommands++
    this.report('command', `ignored unknown command "${command}"`)
    return false
  }

  /**
   * The seed's OTA flow, as a sketch does it: ask /api/ota/check with the running version, download
   * the offered image, verify its MD5, report ota_start then ota_done (or ota_fail), and restart
   * into the new version. True when the device restarted.
   */
  private async checkForUpdate(signal: AbortSignal): Promise<boolean> {
    const headers = { ...this.credentials(), 'x-device-id': this.id }
    let offer: { update_available?: boolean; version?: string; url?: string; md5?: string }
    try {
      const res = await fetch(
        joinUrl(this.options.url, `api/ota/check/${encodeURIComponent(this.firmwareVersion)}`),
        {
          headers,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.behaviour.requestTimeoutMs)])
        }
      )
      offer = (await res.json()) as typeof offer
      if (!res.ok || !offer.update_available || !offer.url || !offer.version) return false
    } catch {
      return false
    }
    const version = offer.version
    this.report('update', `downloading ${version}`)
    let image: Buffer
    let headerMd5: string | null
    try {
      const res = await fetch(offer.url!, { headers, signal })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      headerMd5 = res.headers.get('x-md5')
      image = Buffer.from(await res.arrayBuffer())
    } catch (err) {
      if (signal.aborted) return false
      await this.sendEvent(
        'ota_fail',
        { version, error: `download failed: ${String(err)}` },
        signal
      )
      this.counters.updatesFailed++
      return false
    }
    await this.sendEvent('ota_start', { version }, signal)
    const md5 = createHash('md5').update(image).digest('hex')
    const corrupt =
      md5 !== offer.md5 || (headerMd5 !== null && headerMd5 !== md5) || image[0] !== 0xe9
    if (corrupt || this.random.next() < this.behaviour.otaFailureProbability) {
      await this.sendEvent(
        'ota_fail',
        { version, error: corrupt ? 'MD5 mismatch' : 'flash write failed' },
        signal
      )
      this.counters.updatesFailed++
      this.report('update', `update to ${version} failed`)
      return false
    }
    await this.sendEvent('ota_done', { version }, signal)
    this.counters.updatesInstalled++
    this.report('update', `installed ${version}; restarting`)
    this.firmwareVersion = version
    await this.restart(this.behaviour.bootDelayMs)
    return true
  }

  private async reboot(): Promise<void> {
    this.counters.rebootsObeyed++
    this.report('reboot', `rebooting (boot ${this.bootCount} → ${this.bootCount + 1})`)
    // Announce it first, as the firmware does before ESP.restart(); the event has its own id.
    await this.sendEvent(
      'reboot',
      { reason: 'remote', boot_count: this.bootCount },
      this.boot.signal
    )
    await this.restart(this.behaviour.bootDelayMs)
  }

  private async restart(bootDelayMs: number): Promise<void> {
    if (this.currentState === 'stopped') return
    this.boot.abort() // the alarm loop and any pending ack/dose die with the old boot
    this.currentState = 'booting'
    if (!(await this.pause(bootDelayMs, this.lifetime.signal))) return
    this.bootCount++
    this.sequence = 0 // a counter in RAM restarts; the boot number keeps event ids unique
    this.report('booted', `boot ${this.bootCount}`)
    this.startBoot(0) // a freshly booted dispenser beats at once
  }

  private async alarmLoop(signal: AbortSignal): Promise<void> {
    for (;;) {
      const wait = exponentialDelayMs(this.random, this.behaviour.alarmsPerHour)
      if (!(await this.pause(wait, signal))) return
      // Cycles run on their own, so a slow acknowledgement does not delay the next alarm.
      void this.track(this.alarmCycle(signal))
    }
  }

  private async alarmCycle(signal: AbortSignal): Promise<void> {
    const labels = this.behaviour.alarmLabels
    const alarm_label = labels[Math.floor(this.random.next() * labels.length)] ?? 'Medicamento'
    const missed = this.random.next() < this.behaviour.missedDoseProbability
    this.counters.alarms++
    if (!(await this.sendEvent('alarm_triggered', { alarm_label }, signal))) return
    if (missed) {
      this.counters.dosesMissed++
      return
    }
    if (!(await this.pause(between(this.random, ...this.behaviour.ackDelayMs), signal))) return
    if (!(await this.sendEvent('alarm_ack', { alarm_label }, signal))) return
    if (!(await this.pause(between(this.random, ...this.behaviour.doseDelayMs), signal))) return
    if (await this.sendEvent('dose_taken', { alarm_label }, signal)) this.counters.dosesTaken++
  }

  private timestamp(): number | string {
    const now = Date.now()
    switch (this.behaviour.timestampFormat) {
      case 'epoch-millis':
        return now
      case 'iso':
        return new Date(now).toISOString()
      default:
        return Math.floor(now / 1000)
    }
  }

  private nextEventId(): string {
    this.sequence++
    // e.g. 246F28A1B2C3-9f86d081-b1-42: device, run, boot, sequence. Fits the core's 64 chars.
    return `${this.id.replace(/:/g, '')}-${this.runId}-b${this.bootCount}-${this.sequence}`
  }

  /**
   * Posts an event, retrying with the same event_id (and the same device timestamp) on network
   * errors and 5xx, so the server stores it once however many tries it takes. Stamped when made,
   * not when sent: a retry must not move the dose in time.
   */
  private async sendEvent(
    type: string,
    payload: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<boolean> {
    const event: SentEvent = {
      device_id: this.id,
      type,
      payload,
      timestamp: this.timestamp(),
      event_id: this.nextEventId()
    }
    this.sent.push(event)
    this.counters.eventsSent++
    const { attempts, baseDelayMs, maxDelayMs } = this.behaviour.retry
    for (let attempt = 1; ; attempt++) {
      this.counters.eventPosts++
      const outcome = await this.post(this.eventsUrl, event)
      const lost = outcome.ok && this.random.next() < this.behaviour.lostResponseProbability
      if (outcome.ok && !lost) {
        this.counters.eventsOk++
        if ((outcome.body as { duplicate?: unknown } | undefined)?.duplicate === true)
          this.counters.eventDuplicates++
        return true
      }
      if (lost) this.counters.responsesDropped++
      const retryable = lost || outcome.retryable
      if (!retryable || attempt >= attempts) {
        this.counters.eventsFailed++
        this.report(
          'event-failed',
          `${type} ${event.event_id}: ${outcome.error ?? 'response lost'} (attempt ${attempt}/${attempts})`
        )
        return false
      }
      this.counters.eventRetries++
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
      if (!(await this.pause(jittered(this.random, backoff, 0.2), signal))) {
        this.counters.eventsFailed++ // cut short by a reboot or stop: RAM is gone
        return false
      }
    }
  }
}
