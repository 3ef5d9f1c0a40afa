import type { CredentialRepository, CredentialRow, TokenState } from './credential-repository'

const TOKEN_STATES: readonly TokenState[] = ['none', 'issued', 'active', 'revoked']
const NONE = 0

/**
 * Every device's credential, held in memory so that checking a device request costs no SQLite
 * read, and held compactly because a fleet can be 100,000 dispensers (issue 12).
 *
 * A device request needs only "adopted or waiting" and its token state, plus the token's hash
 * when it has one. So an adopted device without a token hash (every key-using dispenser, and the
 * revoked ones) is kept as one small integer, its token state; its full row is read back from
 * SQLite on the rare paths that show or change it (the dashboard's token view, issuing, revoking).
 * That read is exact: an adopted row is only ever changed through `put()` after its write, so
 * SQLite holds what memory would have held. Full rows stay in memory for waiting devices (their
 * name and attempts change without a write each time; the list is bounded by maxPending), for
 * devices with a token hash (checked on each of their requests), and for a row whose write is
 * still in a batch (`put(row, false)` until `stored(row)`).
 *
 * It also holds the address each key-using device was last heard from (to tell which device an
 * OTA download without an id is for): for the usual compact device, token state "none", the
 * address itself stands for the entry, so 100,000 addresses cost no second map of ids.
 */
export class CredentialRows {
  /**
   * Adopted devices: the token state's index in TOKEN_STATES; or, for token state "none", the
   * address the device was last heard from; or the full row.
   */
  private readonly adopted = new Map<string, CredentialRow | number | string>()
  /** Devices on the waiting list. */
  private readonly waiting = new Map<string, CredentialRow>()
  /** The last address of the adopted devices whose entry cannot hold it (not compact "none"). */
  private readonly otherIps = new Map<string, string>()

  constructor(private readonly repo: Pick<CredentialRepository, 'get'>) {}

  /** Takes a row as it is now; `stored`: SQLite already holds exactly this row. */
  put(row: CredentialRow, stored = true): void {
    const id = row.device_id
    if (row.status === 'pending') {
      this.adopted.delete(id)
      this.waiting.set(id, row)
      return
    }
    this.waiting.delete(id)
    const ip = this.lastIp(id)
    this.otherIps.delete(id)
    this.adopted.set(
      id,
      stored && row.token_hash === null ? TOKEN_STATES.indexOf(row.token_state) : row
    )
    if (ip !== undefined) this.setLastIp(id, ip)
  }

  /** The address an adopted device was last heard from (with the enrolment key). */
  lastIp(deviceId: string): string | undefined {
    const entry = this.adopted.get(deviceId)
    return typeof entry === 'string' ? entry : this.otherIps.get(deviceId)
  }

  setLastIp(deviceId: string, ip: string): void {
    const entry = this.adopted.get(deviceId)
    if (entry === undefined || entry === ip) return
    if (entry === NONE || typeof entry === 'string') this.adopted.set(deviceId, ip)
    else if (this.otherIps.get(deviceId) !== ip) this.otherIps.set(deviceId, ip)
  }

  /** Every adopted device with a known last address. */
  forEachLastIp(visit: (deviceId: string, ip: string) => void): void {
    for (const [id, entry] of this.adopted) if (typeof entry === 'string') visit(id, entry)
    for (const [id, ip] of this.otherIps) visit(id, ip)
  }

  /** The row put with `stored = false` is now written (unless it was replaced meanwhile). */
  stored(row: CredentialRow): void {
    if (this.adopted.get(row.device_id) === row) this.put(row, true)
  }

  has(deviceId: string): boolean {
    return this.adopted.has(deviceId) || this.waiting.has(deviceId)
  }

  status(deviceId: string): CredentialRow['status'] | undefined {
    if (this.adopted.has(deviceId)) return 'adopted'
    return this.waiting.has(deviceId) ? 'pending' : undefined
  }

  tokenState(deviceId: string): TokenState | undefined {
    const entry = this.adopted.get(deviceId) ?? this.waiting.get(deviceId)
    if (typeof entry === 'string') return TOKEN_STATES[NONE]
    return typeof entry === 'number' ? TOKEN_STATES[entry] : entry?.token_state
  }

  /** The full row held in memory, without reading SQLite (undefined for a compact one). */
  held(deviceId: string): CredentialRow | undefined {
    const entry = this.adopted.get(deviceId) ?? this.waiting.get(deviceId)
    return typeof entry === 'object' ? entry : undefined
  }

  /** The full row: from memory, or read back from SQLite for a compact one. */
  get(deviceId: string): CredentialRow | undefined {
    const entry = this.adopted.get(deviceId) ?? this.waiting.get(deviceId)
    return typeof entry === 'object' || entry === undefined ? entry : this.repo.get(deviceId)
  }

  /** Forgets the device (its row and its last address). */
  delete(deviceId: string): void {
    this.adopted.delete(deviceId)
    this.waiting.delete(deviceId)
    this.otherIps.delete(deviceId)
  }

  /** The waiting list's rows. */
  pending(): CredentialRow[] {
    return [...this.waiting.values()]
  }
}
