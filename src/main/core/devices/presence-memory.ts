const NOTHING = 0
const ONLINE = 1
const OFFLINE = 2

/**
 * Per known device: when it was last heard from (ms on the core's clock) and what was last
 * announced about it (online, offline, or nothing yet), for the presence sweep, which runs on
 * memory rather than the database.
 *
 * One number per device in one map: `lastSeenMs * 4 + announced`. A fleet can be 100,000
 * devices (issue 12), and two maps cost a second hash table and a second reference to every id.
 * Milliseconds since the epoch times 4 stay far below 2^53, so the number is exact.
 */
export class PresenceMemory {
  private readonly byId = new Map<string, number>()

  /** When the device was last heard from; undefined when never (or only announced). */
  seen(deviceId: string): number | undefined {
    const v = this.byId.get(deviceId)
    if (v === undefined || v < 4) return undefined
    return Math.floor(v / 4)
  }

  /** Notes a contact at `at`, unless a later one is already known. */
  saw(deviceId: string, at: number): void {
    const v = this.byId.get(deviceId) ?? NOTHING
    const ms = Math.floor(at)
    if (ms > Math.floor(v / 4)) this.byId.set(deviceId, ms * 4 + (v % 4))
  }

  /** What was last announced: true online, false offline, undefined nothing yet. */
  announced(deviceId: string): boolean | undefined {
    const state = (this.byId.get(deviceId) ?? NOTHING) % 4
    return state === NOTHING ? undefined : state === ONLINE
  }

  announce(deviceId: string, online: boolean): void {
    const v = this.byId.get(deviceId) ?? NOTHING
    this.byId.set(deviceId, v - (v % 4) + (online ? ONLINE : OFFLINE))
  }

  delete(deviceId: string): void {
    this.byId.delete(deviceId)
  }

  /** Every device ever heard from, with its last contact and what was announced about it. */
  forEachSeen(visit: (deviceId: string, seenMs: number, announced: boolean | undefined) => void) {
    for (const [id, v] of this.byId) {
      if (v < 4) continue // announced, never heard from: not the sweep's
      const state = v % 4
      visit(id, Math.floor(v / 4), state === NOTHING ? undefined : state === ONLINE)
    }
  }
}
