import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createCredentialRepository,
  type CredentialRepository,
  type CredentialRow
} from '../../src/main/core/device-trust/credential-repository'
import { CredentialRows } from '../../src/main/core/device-trust/credential-rows'
import { openDatabase, type Db } from '../../src/main/core/store/db'

const ID = 'AA:BB:CC:DD:EE:01'
const row = (over: Partial<CredentialRow> = {}): CredentialRow => ({
  device_id: ID,
  status: 'adopted',
  adopted_at: '2026-01-01T00:00:00.000Z',
  adopted_by: 'auto',
  token_state: 'none',
  token_hash: null,
  token_issued_at: null,
  token_used_at: null,
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-01T00:00:00.000Z',
  reported_name: 'Cocina',
  firmware_version: '1.0.0',
  ip_address: '192.168.1.50',
  attempts: 1,
  ...over
})

describe('credential rows held compactly (100,000 devices)', () => {
  let dir: string
  let db: Db
  let repo: CredentialRepository
  let rows: CredentialRows
  const save = (r: CredentialRow) => {
    repo.save(r)
    rows.put(r)
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-credential-rows-'))
    db = openDatabase(join(dir, 'pastillero.db'))
    repo = createCredentialRepository(db)
    rows = new CredentialRows(repo)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('an adopted device without a token is kept compact and read back exactly as stored', () => {
    save(row())
    expect(rows.held(ID)).toBeUndefined() // nothing but its token state in memory
    expect(rows.status(ID)).toBe('adopted')
    expect(rows.tokenState(ID)).toBe('none')
    expect(rows.get(ID)).toEqual(row())
    save(row({ token_state: 'issued', token_hash: 'ab'.repeat(32) }))
    expect(rows.held(ID)?.token_hash).toBe('ab'.repeat(32)) // checked on each request: in memory
  })

  it('a row whose write is still in a batch stays in memory until it is stored', () => {
    const pending = row()
    rows.put(pending, false)
    expect(rows.held(ID)).toBe(pending)
    repo.save(pending)
    rows.stored(pending)
    expect(rows.held(ID)).toBeUndefined()
    expect(rows.get(ID)).toEqual(pending)
  })

  it("keeps a device's last address through every token state, and forgets it with the device", () => {
    save(row())
    rows.setLastIp(ID, '192.168.1.50')
    const seen = () => {
      const all: Array<[string, string]> = []
      rows.forEachLastIp((id, ip) => all.push([id, ip]))
      return all
    }
    expect(seen()).toEqual([[ID, '192.168.1.50']])
    expect(rows.tokenState(ID)).toBe('none')
    save(row({ token_state: 'issued', token_hash: 'cd'.repeat(32) }))
    expect(rows.lastIp(ID)).toBe('192.168.1.50')
    rows.setLastIp(ID, '192.168.1.51')
    save(row({ token_state: 'revoked' }))
    expect(rows.tokenState(ID)).toBe('revoked')
    expect(seen()).toEqual([[ID, '192.168.1.51']])
    save(row({ token_state: 'none' }))
    expect(rows.tokenState(ID)).toBe('none')
    expect(seen()).toEqual([[ID, '192.168.1.51']])
    rows.delete(ID)
    expect(rows.status(ID)).toBeUndefined()
    expect(seen()).toEqual([])
  })
})
