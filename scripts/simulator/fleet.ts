import { randomBytes } from 'node:crypto'
import { identityFor } from './identity'
import { seededRandom } from './random'
import {
  emptyDeviceStats,
  SimulatedDevice,
  type DeviceActivity,
  type DeviceBehaviour,
  type DeviceStats
} from './simulated-device'

export interface FleetOptions {
  url: string
  apiKey: string
  /** How many dispensers. */
  size: number
  /** Same seed, same device ids and names: reruns update the same devices. */
  seed?: string
  /** First three bytes of every device id (default Espressif's 24:6F:28). */
  oui?: string
  namePrefix?: string
  firmwareVersion?: string
  behaviour?: Partial<DeviceBehaviour>
  runId?: string
  onActivity?: (activity: DeviceActivity) => void
}

export interface FleetStats extends DeviceStats {
  devices: number
  running: number
  booting: number
}

/** N simulated dispensers sharing a server, a key and a behaviour. */
export class Fleet {
  readonly devices: readonly SimulatedDevice[]
  readonly runId: string
  private readonly byId = new Map<string, SimulatedDevice>()
  private started = false

  constructor(options: FleetOptions) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new RangeError(`fleet size must be a whole number ≥ 1, got ${options.size}`)
    const seed = options.seed ?? 'pastillero'
    // One run id for the whole fleet: event ids from one simulator run are easy to pick out.
    this.runId = options.runId ?? randomBytes(4).toString('hex')
    const devices: SimulatedDevice[] = []
    for (let i = 0; i < options.size; i++) {
      const identity = identityFor(i, options.size, {
        seed,
        oui: options.oui,
        namePrefix: options.namePrefix
      })
      const device = new SimulatedDevice({
        url: options.url,
        apiKey: options.apiKey,
        identity,
        firmwareVersion: options.firmwareVersion,
        behaviour: options.behaviour,
        // Per-device generators: one device's choices do not depend on the others' timing.
        random: seededRandom(`${seed}:${i}`),
        runId: this.runId,
        onActivity: options.onActivity
      })
      devices.push(device)
      this.byId.set(identity.device_id, device)
    }
    this.devices = devices
  }

  device(deviceId: string): SimulatedDevice | undefined {
    return this.byId.get(deviceId)
  }

  get deviceIds(): string[] {
    return this.devices.map((d) => d.id)
  }

  start(): void {
    if (this.started) throw new Error('the fleet was already started')
    this.started = true
    for (const device of this.devices) device.start()
  }

  /** Resolves once every device has stopped and every request it had in flight has settled. */
  async stop(): Promise<void> {
    await Promise.all(this.devices.map((d) => d.stop()))
  }

  stats(): FleetStats {
    const total: FleetStats = { ...emptyDeviceStats(), devices: 0, running: 0, booting: 0 }
    for (const device of this.devices) {
      const s = device.stats()
      for (const key of Object.keys(s) as Array<keyof DeviceStats>) {
        if (key === 'heartbeatLatencyMsMax') total[key] = Math.max(total[key], s[key])
        else total[key] += s[key]
      }
      total.devices++
      if (device.state === 'running') total.running++
      if (device.state === 'booting') total.booting++
    }
    return total
  }
}
