/** Request bodies for the device endpoints, shaped like the simulator's (and real firmware's). */
import { deviceIdFor, deviceNameFor, ipAddressFor } from '../../scripts/simulator/identity'

export interface Bodies {
  deviceIds: string[]
  /** Heartbeats rotating through the fleet. */
  nextHeartbeat: () => string
  /** Events with a unique event_id each (a repeat would only test the duplicate path). */
  nextEvent: () => string
}

export function fleetBodies(devices: number, seed = 'bench'): Bodies {
  const identities = Array.from({ length: devices }, (_, i) => ({
    device_id: deviceIdFor(i, seed),
    name: deviceNameFor(i, devices),
    ip_address: ipAddressFor(i)
  }))
  const heartbeats = identities.map((d) =>
    JSON.stringify({ ...d, firmware_version: '1.0.0', status: 'online' })
  )
  let heartbeatCounter = 0
  const runToken = Date.now().toString(36)
  const eventTypes = ['alarm_triggered', 'alarm_ack', 'dose_taken'] as const
  let eventCounter = 0
  return {
    deviceIds: identities.map((d) => d.device_id),
    nextHeartbeat: () => heartbeats[heartbeatCounter++ % heartbeats.length]!,
    nextEvent: () => {
      const n = eventCounter++
      return JSON.stringify({
        device_id: identities[n % identities.length]!.device_id,
        type: eventTypes[n % eventTypes.length],
        payload: { alarm_label: 'Medicamento mañana' },
        timestamp: Math.floor(Date.now() / 1000),
        event_id: `bench-${runToken}-${n}`
      })
    }
  }
}

/** Heartbeat bodies for device indices [from, from + count), each id once per lap. */
export function heartbeatsOf(from: number, count: number, laps = Infinity): () => string {
  let n = 0
  return () => {
    const lap = Math.floor(n / count)
    const i = from + (n++ % count)
    if (lap >= laps) throw new Error('out of device ids')
    return JSON.stringify({
      device_id: deviceIdFor(i, 'bench'),
      name: deviceNameFor(i % 1000, 1000),
      ip_address: ipAddressFor(i % 60000),
      firmware_version: '1.0.0',
      status: 'online'
    })
  }
}
