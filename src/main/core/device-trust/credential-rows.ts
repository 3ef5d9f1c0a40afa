import type { CredentialRepository, CredentialRow, TokenState } from './credential-repository'

const TOKEN_STATES: readonly TokenState[] = ['none', 'issued', 'active', 'revoked']

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
 */
export class CredentialRows {
  /** Adopted devices: the token state's index in TOKEN_STATES, or the full row. */
  private readonly adopted = new Map<string, CredentialRow | number>()
  /** Devices on the waiting list. */
  private readonly waiting = new Map<string, CredentialRow>()

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
    this.adopted.set(
      id,
      stored && row.token_hash === null ? TOKEN_STATES.indexOf(row.token_state) : row
    )
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
    return typeof entry === 'number' ? TOKEN_STATES[entry] : entry?.token_state
  }

  /** The full row held in memory, without reading SQLite (undefined for a compact one). */
  held(deviceId: string): CredentialRow | undefined {
    const entry = this.adopted.get(deviceId) ?? this.waiting.get(deviceId)
    return typeof entry === 'number' ? undefined : entry
  }

  /** The full row: from memory, or read back from SQLite for a compact one. */
  get(deviceId: string): CredentialRow | undefined {
    const entry = this.adopted.get(deviceId) ?? this.waiting.get(deviceId)
    return typeof entry === 'number' ? this.repo.get(deviceId) : entry
  }

  delete(deviceId: string): void {
    this.adopted.delete(deviceId)
    this.waiting.delete(deviceId)
  }

  /** The waiting list's rows. */
  pending(): CredentialRow[] {
    return [...this.waiting.values()]
  }
}
