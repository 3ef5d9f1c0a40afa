// Long (~520 lines) because device trust is one policy with one state: the key ring, per-device
// tokens, the adoption window and its waiting list, and the rate limits that guard all of them
// must be read together to see that no path lets an unknown device in.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import type { IncomingMessage } from 'node:http'
import { DomainError, Forbidden, TooMany, Unauthenticated } from '../lib/domain-errors'
import type { CoreEventBus } from '../lib/event-bus'
import { randomToken } from '../lib/secrets'
import { isoMillis } from '../lib/time'
import { TokenBuckets } from '../lib/token-bucket'
import type { SettingsRepository } from '../settings/settings-repository'
import type { BatchWriter } from '../store/batch-writer'
import type { CredentialRepository, CredentialRow, TokenState } from './credential-repository'
import { CredentialRows } from './credential-rows'

/** The setting that holds when "accept new dispensers" closes (an ISO instant; past = closed). */
export const ADOPTION_SETTING = 'device_adoption_open_until'

export interface DeviceLimits {
  /** Device ids never seen before (adopted or put on the waiting list), for the whole server. */
  newDevices: { capacity: number; perSecond: number }
  /** Heartbeats per device id: a burst, then a steady rate (a dispenser beats every 30-60 s). */
  heartbeats: { capacity: number; perSecond: number }
  /** Waiting-for-adoption entries kept; beyond it the one heard from longest ago is dropped. */
  maxPending: number
}

export const DEFAULT_DEVICE_LIMITS: DeviceLimits = {
  newDevices: { capacity: 10, perSecond: 10 / 60 },
  heartbeats: { capacity: 20, perSecond: 1 },
  maxPending: 100
}

/** Who a device request authenticated as. */
export type DeviceAuth = { via: 'token'; deviceId: string } | { via: 'key' }

export type RequestKind = 'heartbeat' | 'event' | 'read'

/** What a heartbeat says about a device, kept for the waiting list. */
export interface ReportedInfo {
  name?: unknown
  firmware_version?: unknown
  ip?: string | null
}

export interface PendingView {
  device_id: string
  name: string | null
  firmware_version: string | null
  ip_address: string | null
  first_seen: string
  last_seen: string
  attempts: number
}

export interface TokenView {
  device_id: string
  state: TokenState
  issued_at: string | null
  used_at: string | null
  adopted_at: string | null
  adopted_by: string | null
}

export const TOKEN_SCHEME = 'DeviceToken'
const TOKEN_HEADER = /^DeviceToken\s+([A-Za-z0-9_-]{16,128})\s*$/i
const PENDING_WRITE_EVERY_MS = 60_000

const sha256 = (value: string) => createHash('sha256').update(value).digest()
const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : null

function rateLimited(what: string, waitMs: number): DomainError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return new TooMany('rate-limited', `${what}; retry in ${seconds} s`, seconds)
}

export type DeviceTrust = ReturnType<typeof createDeviceTrust>

/**
 * Which dispensers may talk to the server, and with which credential (issue 13).
 *
 * The shared key (X-API-Key) is the enrolment key: it still works for every adopted device that
 * has no token of its own, so existing firmware is unaffected. A device that says it can keep a
 * token (`supports_device_token: true` in its heartbeat) gets one in a heartbeat answer; once it
 * has used it, the shared key no longer authenticates that device id. Unknown ids are adopted
 * while "accept new dispensers" is open, otherwise they wait in the dashboard's list and nothing
 * they send is stored.
 *
 * Everything a request needs is held in memory (each device's status and token state, the token
 * hashes: see credential-rows.ts for how compactly), so checking a device costs no SQLite read;
 * only state changes are written.
 */
export function createDeviceTrust(deps: {
  repo: CredentialRepository
  settings: SettingsRepository
  bus: CoreEventBus
  /** Every enrolment key accepted right now (two during a key rotation). */
  keys: () => readonly string[]
  limits?: Partial<DeviceLimits>
  now?: () => number
  /**
   * The device path's group-commit writer: a device adopted on first sight has its row written
   * in the next batch (durable before the request goes on, one fsync shared by every device
   * arriving together) instead of a synchronous commit, and its fsync, on the event loop.
   */
  writer?: Pick<BatchWriter, 'submit'>
}) {
  const { repo, settings, bus } = deps
  const limits = { ...DEFAULT_DEVICE_LIMITS, ...deps.limits }
  const now = deps.now ?? Date.now
  const newIds = new TokenBuckets(limits.newDevices.capacity, limits.newDevices.perSecond)
  const heartbeats = new TokenBuckets(limits.heartbeats.capacity, limits.heartbeats.perSecond)

  repo.adoptKnownDevices(isoMillis())
  const rows = new CredentialRows(repo)
  const byHash = new Map<string, string>()
  for (const r of repo.each()) {
    rows.put(r)
    if (r.token_hash) byHash.set(r.token_hash, r.device_id)
  }
  let openUntil = settings.get<string>(ADOPTION_SETTING) ?? null
  /** Heartbeats that asked for a token and may get one in their answer (see heartbeatFields). */
  const tokenWanted = new Set<string>()
  const pendingWrittenAt = new Map<string, number>()

  const keyDigests = new Map<string, Buffer>()
  const keyDigest = (key: string) => {
    let d = keyDigests.get(key)
    if (!d) {
      if (keyDigests.size > 16) keyDigests.clear()
      d = sha256(key)
      keyDigests.set(key, d)
    }
    return d
  }

  const changed = () => bus.emit('adoption.updated', {})
  const save = (row: CredentialRow) => {
    repo.save(row)
    rows.put(row)
  }
  const setToken = (row: CredentialRow, state: TokenState, hash: string | null, at: string) => {
    if (row.token_hash) byHash.delete(row.token_hash)
    const next: CredentialRow = {
      ...row,
      token_state: state,
      token_hash: hash,
      token_issued_at: hash ? at : row.token_issued_at,
      token_used_at: state === 'active' ? at : hash ? null : row.token_used_at
    }
    save(next)
    if (hash) byHash.set(hash, row.device_id)
    return next
  }

  const isOpen = (at = now()) => openUntil !== null && Date.parse(openUntil) > at

  const blank = (deviceId: string, at: string): CredentialRow => ({
    device_id: deviceId,
    status: 'pending',
    adopted_at: null,
    adopted_by: null,
    token_state: 'none',
    token_hash: null,
    token_issued_at: null,
    token_used_at: null,
    first_seen: at,
    last_seen: at,
    reported_name: null,
    firmware_version: null,
    ip_address: null,
    attempts: 0
  })

  const withInfo = (row: CredentialRow, info: ReportedInfo, at: string): CredentialRow => ({
    ...row,
    last_seen: at,
    attempts: row.attempts + 1,
    reported_name: text(info.name, 100) ?? row.reported_name,
    firmware_version: text(info.firmware_version, 64) ?? row.firmware_version,
    ip_address: info.ip ?? row.ip_address
  })

  const notAdopted = (deviceId: string) =>
    new Forbidden(
      'device-not-adopted',
      `device ${deviceId} is waiting to be adopted in Pastillero's dashboard (Devices); nothing it sends is stored until then`,
      'device_id'
    )

  /** Drops the waiting entries heard from longest ago so the list stays bounded. */
  const prunePending = () => {
    const pending = rows.pending()
    if (pending.length <= limits.maxPending) return
    pending.sort((a, b) => a.last_seen.localeCompare(b.last_seen))
    for (const r of pending.slice(0, pending.length - limits.maxPending)) {
      repo.remove(r.device_id)
      rows.delete(r.device_id)
      pendingWrittenAt.delete(r.device_id)
    }
  }

  /** The adoption write of a device first seen in this request, when it is still in a batch. */
  let adopting: Promise<void> | undefined

  /** A device the server has not heard of asks in with the enrolment key. */
  const arrive = (deviceId: string, kind: RequestKind, info: ReportedInfo): CredentialRow => {
    // A read (schedule, OTA) never enrols: a real dispenser beats first.
    if (kind === 'read') throw notAdopted(deviceId)
    const waitMs = newIds.take('new')
    if (waitMs > 0) throw rateLimited('too many new dispensers at once', waitMs)
    const at = isoMillis()
    if (isOpen()) {
      const row: CredentialRow = {
        ...withInfo(blank(deviceId, at), info, at),
        status: 'adopted',
        adopted_at: at,
        adopted_by: 'auto'
      }
      if (deps.writer) {
        // Known at once (a second request for it goes through); stored with the next batch,
        // which this request waits for. Its later requests' batches come after this one.
        rows.put(row, false)
        adopting = deps.writer
          .submit(() => repo.save(row))
          .then(
            () => rows.stored(row),
            (err: unknown) => {
              if (rows.held(deviceId) === row) rows.delete(deviceId)
              throw err
            }
          )
      } else save(row)
      changed()
      return row
    }
    save(withInfo(blank(deviceId, at), info, at))
    pendingWrittenAt.set(deviceId, now())
    prunePending()
    changed()
    throw notAdopted(deviceId)
  }

  /** A device on the waiting list asks again: note it (written at most once a minute). */
  const stillWaiting = (row: CredentialRow, kind: RequestKind, info: ReportedInfo): never => {
    if (kind !== 'read') {
      const at = isoMillis()
      const next = withInfo(row, info, at)
      rows.put(next, false)
      const written = pendingWrittenAt.get(row.device_id) ?? 0
      if (now() - written >= PENDING_WRITE_EVERY_MS) {
        repo.save(next)
        pendingWrittenAt.set(row.device_id, now())
        changed()
      }
    }
    throw notAdopted(row.device_id)
  }

  const adoptRow = (row: CredentialRow, by: string): CredentialRow => {
    const at = isoMillis()
    const next: CredentialRow = { ...row, status: 'adopted', adopted_at: at, adopted_by: by }
    save(next)
    pendingWrittenAt.delete(row.device_id)
    return next
  }

  return {
    limits,

    /**
     * Checks the credential of a device request: `Authorization: DeviceToken <token>`, else the
     * enrolment key in X-API-Key (or `?key=` where sketches can only pass a URL). Throws 401.
     */
    authenticate(
      req: IncomingMessage & { query?: Request['query'] },
      allowQueryKey = false
    ): DeviceAuth {
      // Read from Node's headers, not req.get(): the device path runs before Express wraps
      // the request (http/device-path.ts).
      const authorization = req.headers.authorization
      const token = authorization ? TOKEN_HEADER.exec(authorization)?.[1] : undefined
      if (token) {
        const digest = sha256(token)
        const hash = digest.toString('hex')
        const deviceId = byHash.get(hash)
        const row = deviceId ? rows.get(deviceId) : undefined
        // The map lookup is by a hash of the token, which tells a timing observer nothing
        // about the token; the final comparison is constant-time anyway.
        if (
          !row?.token_hash ||
          !timingSafeEqual(digest, Buffer.from(row.token_hash, 'hex')) ||
          (row.token_state !== 'issued' && row.token_state !== 'active')
        )
          throw new Unauthenticated(
            'invalid-device-token',
            'the device token is not valid (revoked or re-issued): send the enrolment key (X-API-Key) to get a new one'
          )
        if (row.token_state === 'issued') {
          // First use: from now on the enrolment key no longer authenticates this device.
          setToken(row, 'active', row.token_hash, isoMillis())
          tokenWanted.delete(row.device_id)
          changed()
        }
        return { via: 'token', deviceId: row.device_id }
      }
      const header = req.headers['x-api-key']
      let given = typeof header === 'string' ? header : undefined
      if (!given && allowQueryKey && typeof req.query?.key === 'string' && req.query.key)
        given = req.query.key
      if (!given)
        throw new Unauthenticated(
          'missing-api-key',
          'the X-API-Key header (or Authorization: DeviceToken) is required'
        )
      // Compare SHA-256 digests (equal length, constant time) against every accepted key, so the
      // time taken does not reveal which one matched.
      const givenDigest = sha256(given)
      let ok = false
      for (const key of deps.keys()) ok = timingSafeEqual(givenDigest, keyDigest(key)) || ok
      if (!ok) throw new Unauthenticated('invalid-api-key', 'the X-API-Key is not valid')
      return { via: 'key' }
    },

    /**
     * May this request act for `deviceId`? Adopts or records unknown ids, refuses the shared key
     * for devices that have their own token, and limits heartbeats per device. A promise when the
     * device was adopted just now: the request goes on once its adoption is on disk.
     */
    admit(
      auth: DeviceAuth,
      deviceId: string,
      kind: RequestKind,
      info: ReportedInfo = {},
      wantsToken = false
    ): void | Promise<void> {
      adopting = undefined
      this.check(auth, deviceId, kind, info, wantsToken)
      const written = adopting
      adopting = undefined
      return written
    },

    check(
      auth: DeviceAuth,
      deviceId: string,
      kind: RequestKind,
      info: ReportedInfo,
      wantsToken: boolean
    ): void {
      if (auth.via === 'token') {
        if (auth.deviceId !== deviceId)
          throw new Forbidden(
            'device-token-mismatch',
            `this token belongs to another device, not ${deviceId}`,
            'device_id'
          )
      } else {
        // Only the status and token state: an adopted device's full row is not kept in memory.
        const status = rows.status(deviceId)
        if (status === undefined) arrive(deviceId, kind, info)
        else if (status === 'pending') {
          const row = rows.held(deviceId)!
          if (!isOpen()) stillWaiting(row, kind, info)
          adoptRow(row, 'auto')
          changed()
        }
        const tokenState = rows.tokenState(deviceId)
        if (tokenState === 'active')
          throw new Unauthenticated(
            'device-token-required',
            `device ${deviceId} has its own token: the shared key no longer works for it`
          )
        if (tokenState === 'revoked')
          throw new Unauthenticated(
            'device-token-revoked',
            `device ${deviceId}'s token was revoked; re-issue it from its page in the dashboard`
          )
        // The socket address it was last heard from (to identify OTA downloads).
        if (info.ip) rows.setLastIp(deviceId, info.ip)
        if (kind === 'heartbeat') {
          if (wantsToken) tokenWanted.add(deviceId)
          else tokenWanted.delete(deviceId)
        }
      }
      if (kind === 'heartbeat') {
        const waitMs = heartbeats.take(deviceId)
        if (waitMs > 0) throw rateLimited(`too many heartbeats from ${deviceId}`, waitMs)
      }
    },

    /**
     * Fields for a successful heartbeat answer: `device_token` once, for a device that asked with
     * the enrolment key. Only the token's hash is kept. Until the device uses it, the enrolment
     * key still works, so a lost answer costs only a new token at the next heartbeat.
     */
    heartbeatFields(deviceId: string): { device_token?: string } {
      if (!tokenWanted.delete(deviceId)) return {}
      if (rows.status(deviceId) !== 'adopted') return {}
      const state = rows.tokenState(deviceId)
      if (state === 'active' || state === 'revoked') return {}
      const row = rows.get(deviceId)
      if (!row) return {}
      const token = randomToken(32)
      setToken(row, 'issued', sha256(token).toString('hex'), isoMillis())
      changed()
      return { device_token: token }
    },

    /**
     * Which device an OTA request is for. A token names it; with the enrolment key an explicit id
     * (X-Device-Id, ?device_id=, x-ESP32-STA-MAC) must be an adopted device; without one, the
     * only key-using device last heard from this address is assumed (old sketches send no id).
     */
    otaDevice(
      auth: DeviceAuth,
      explicitId: string | undefined,
      socketIp: string | null
    ): string | undefined {
      if (auth.via === 'token') return auth.deviceId
      if (explicitId) {
        this.admit(auth, explicitId, 'read')
        return explicitId
      }
      if (!socketIp) return undefined
      let found: string | undefined
      let ambiguous = false
      rows.forEachLastIp((id, ip) => {
        if (ip !== socketIp) return
        const state = rows.tokenState(id)
        if (state === 'active' || state === 'revoked') return
        if (found) ambiguous = true // two devices behind one address: cannot tell them apart
        found = id
      })
      return ambiguous ? undefined : found
    },

    adoptionOpenUntil(): string | null {
      return isOpen() ? openUntil : null
    },

    setAdoption(open: boolean, minutes = 60): string | null {
      openUntil = new Date(open ? now() + minutes * 60_000 : now()).toISOString()
      settings.set(ADOPTION_SETTING, openUntil)
      changed()
      return this.adoptionOpenUntil()
    },

    pending(): PendingView[] {
      return rows
        .pending()
        .sort((a, b) => b.last_seen.localeCompare(a.last_seen))
        .map((r) => ({
          device_id: r.device_id,
          name: r.reported_name,
          firmware_version: r.firmware_version,
          ip_address: r.ip_address,
          first_seen: r.first_seen,
          last_seen: r.last_seen,
          attempts: r.attempts
        }))
    },

    /** Adopts a device from the waiting list; false when it is not on it. */
    adopt(deviceId: string, by = 'dashboard'): boolean {
      const row = rows.held(deviceId)
      if (row?.status !== 'pending') return false
      adoptRow(row, by)
      changed()
      return true
    },

    /** Removes a device from the waiting list (it comes back if it asks again). */
    dismiss(deviceId: string): boolean {
      if (rows.status(deviceId) !== 'pending') return false
      repo.remove(deviceId)
      rows.delete(deviceId)
      pendingWrittenAt.delete(deviceId)
      changed()
      return true
    },

    token(deviceId: string): TokenView | undefined {
      const row = rows.get(deviceId)
      if (row?.status !== 'adopted') return undefined
      return {
        device_id: deviceId,
        state: row.token_state,
        issued_at: row.token_issued_at,
        used_at: row.token_used_at,
        adopted_at: row.adopted_at,
        adopted_by: row.adopted_by
      }
    },

    /** The token stops working and the shared key does not work for this device either. */
    revoke(deviceId: string): TokenView | undefined {
      const row = rows.get(deviceId)
      if (row?.status !== 'adopted') return undefined
      setToken(row, 'revoked', null, isoMillis())
      tokenWanted.delete(deviceId)
      changed()
      return this.token(deviceId)
    },

    /**
     * The current token stops working; the device's next heartbeat with the enrolment key gets a
     * new one (the firmware falls back to the key when its token is refused).
     */
    reissue(deviceId: string): TokenView | undefined {
      const row = rows.get(deviceId)
      if (row?.status !== 'adopted') return undefined
      setToken(row, 'none', null, isoMillis())
      changed()
      return this.token(deviceId)
    },

    /** The device was forgotten in the dashboard: its credentials go with it. */
    forget(deviceId: string): void {
      if (!rows.has(deviceId)) return
      const hash = rows.held(deviceId)?.token_hash // a compact row has none
      if (hash) byHash.delete(hash)
      repo.remove(deviceId)
      rows.delete(deviceId)
      tokenWanted.delete(deviceId)
      // No adoption.updated: device.removed already tells the dashboard, and this runs inside
      // that announcement, so a refetch it triggered would race the removal.
    }
  }
}
