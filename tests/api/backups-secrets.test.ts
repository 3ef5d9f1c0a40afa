import Database from 'better-sqlite3'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tar from 'tar'
import { afterEach, describe, expect, it } from 'vitest'
import { createAccount, loginAs } from '../helpers/accounts'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

const mode = (path: string) => statSync(path).mode & 0o777
/** Work folders and half-written files an import or backup could leave in backups/. */
const leftovers = (dataDir: string) =>
  readdirSync(join(dataDir, 'backups')).filter((n) => n.startsWith('.') || n.endsWith('.tmp'))
const systemTempImports = () =>
  readdirSync(tmpdir()).filter((n) => n.startsWith('pastillero-import-'))

async function importArchive(
  t: TestCore,
  cookie: string,
  bytes: Buffer,
  fields: Record<string, string> = {}
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', new Blob([new Uint8Array(bytes)]), 'x.tar.gz')
  const res = await fetch(`${t.url}/api/admin/import`, {
    method: 'POST',
    headers: { cookie },
    body: form
  })
  return { status: res.status, body: (await res.json()) as any }
}

async function exportArchive(t: TestCore, cookie: string, query = ''): Promise<Buffer> {
  const res = await fetch(`${t.url}/api/admin/export${query}`, { headers: { cookie } })
  expect(res.status).toBe(200)
  return Buffer.from(await res.arrayBuffer())
}

/** Packs files (name → bytes) into a .tar.gz the way an export is laid out. */
async function pack(dir: string, files: Record<string, Buffer>): Promise<Buffer> {
  mkdirSync(dir, { recursive: true })
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes)
  const out = join(dir, '..', `${Date.now()}-${Math.random()}.tar.gz`)
  await tar.c({ gzip: true, file: out, cwd: dir }, Object.keys(files))
  return readFileSync(out)
}

describe('backups and imports leave nothing behind and keep today’s secrets', () => {
  const cores: TestCore[] = []
  const start = async (...args: Parameters<typeof startTestCore>) => {
    const t = await startTestCore(...args)
    cores.push(t)
    return t
  }
  afterEach(async () => {
    for (const t of cores.splice(0)) await t.dispose()
  })

  it('a refused import and an accepted one each leave no temporary files', async () => {
    const before = systemTempImports()
    const source = await start()
    const sourceCookie = await source.login()
    await request(`${source.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': source.deviceKey },
      body: heartbeatBody('from-source')
    })
    const good = await exportArchive(source, sourceCookie)

    const t = await start()
    const cookie = await t.login()
    // An archive whose database is not a database (the 8 MB leftover case).
    const bad = await pack(join(t.dataDir, 'test-input', `bad-${Date.now()}`), {
      'pastillero.db': Buffer.alloc(64 * 1024, 7)
    })
    const refused = await importArchive(t, cookie, bad)
    expect([refused.status, refused.body.error.code]).toEqual([422, 'not-a-backup'])
    expect(leftovers(t.dataDir)).toEqual([])
    expect(existsSync(join(t.dataDir, 'restore-pending.json'))).toBe(false)
    const notTar = await importArchive(t, cookie, Buffer.from('plain text'))
    expect(notTar.status).toBe(422)
    expect(leftovers(t.dataDir)).toEqual([])

    const accepted = await importArchive(t, cookie, good)
    expect(accepted.status).toBe(202)
    await t.stop()
    const after = await start({ dataDir: t.dataDir })
    const c = await after.login()
    const devices = await request(`${after.url}/api/admin/devices`, { headers: { cookie: c } })
    expect(devices.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual([
      'from-source'
    ])
    expect(leftovers(after.dataDir)).toEqual([])
    expect(systemTempImports()).toEqual(before)
  })

  it('extraction is bounded by size, not only by ratio', async () => {
    const t = await start({ importMaxUnpackedBytes: 256 * 1024 })
    const cookie = await t.login()
    // A modest ratio (far under tar's 1000:1 guard) still may not unpack past the size limit.
    const bits = Buffer.alloc(4 * 1024 * 1024)
    for (let i = 0; i < bits.length; i++) bits[i] = Math.random() < 0.5 ? 0 : 1
    const big = await pack(join(t.dataDir, 'test-input', `big-${Date.now()}`), {
      'pastillero.db': bits
    })
    expect(bits.length / big.length).toBeLessThan(1000)
    const res = await importArchive(t, cookie, big)
    expect([res.status, res.body.error.code]).toEqual([413, 'archive-too-large'])
    expect(leftovers(t.dataDir)).toEqual([])
    // And a bomb (8 MB of zeros in a few KB) is refused the same way.
    const bomb = await pack(join(t.dataDir, 'test-input', `bomb-${Date.now()}`), {
      'pastillero.db': Buffer.alloc(8 * 1024 * 1024)
    })
    expect(bomb.length).toBeLessThan(64 * 1024)
    const refused = await importArchive(t, cookie, bomb)
    expect([refused.status, refused.body.error.code]).toEqual([413, 'archive-too-large'])
    expect(leftovers(t.dataDir)).toEqual([])
  })

  it('work folders a crash left behind are swept at start, and replaced-* are pruned like backups', async () => {
    const t = await start()
    await t.stop()
    const backups = join(t.dataDir, 'backups')
    mkdirSync(join(backups, '.import-crashed'), { recursive: true })
    writeFileSync(join(backups, '.import-crashed', 'pastillero.db'), Buffer.alloc(1024))
    mkdirSync(join(backups, '.upload-crashed'))
    mkdirSync(join(backups, '.export-crashed'))
    writeFileSync(join(backups, 'pastillero-manual-20260101T000000Z.db.tmp'), 'half')
    for (let day = 1; day <= 10; day++)
      mkdirSync(join(backups, `replaced-2026-01-${String(day).padStart(2, '0')}T10-00-00-000Z`))
    const again = await start({ dataDir: t.dataDir })
    expect(leftovers(again.dataDir)).toEqual([])
    const replaced = readdirSync(backups).filter((n) => n.startsWith('replaced-'))
    expect(replaced).toHaveLength(7) // backup_keep
    expect(replaced).not.toContain('replaced-2026-01-01T10-00-00-000Z')
    expect(replaced).toContain('replaced-2026-01-10T10-00-00-000Z')
  })

  it('after restoring a backup made before a password change, the new password still signs in', async () => {
    // No API_SECRET_KEY: the generated key lives in the database, as on a real install.
    const t = await start({ env: { API_SECRET_KEY: undefined } })
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Marta', 'old-password-1')
    const oldKey = t.deviceKey
    const made = await request(`${t.url}/api/admin/backups`, {
      method: 'POST',
      headers: { cookie: admin }
    })
    expect(made.status).toBe(201)

    // After the backup: Marta changes her password, Luis joins, the device key is rotated.
    const marta = await loginAs(t.url, 'old-password-1', 'Marta')
    await request(`${t.url}/api/admin/password`, {
      headers: { cookie: marta },
      body: { current_password: 'old-password-1', new_password: 'new-password-2' }
    })
    await createAccount(t.url, admin, 'Luis', 'luis-password-1')
    const rotated = await request(`${t.url}/api/admin/device-key/rotate`, {
      headers: { cookie: admin },
      body: { grace_hours: 0 }
    })
    const newKey = rotated.body.device_api_key as string
    // A dispenser adopted after the backup, with its own token (as device trust stores it).
    t.core.db
      .prepare(
        `INSERT INTO device_credentials (device_id, status, adopted_at, adopted_by, token_state,
           token_hash, token_issued_at, first_seen, last_seen)
         VALUES ('adopted-later', 'adopted', 'now', 'admin', 'active', 'abc123', 'now', 'now', 'now')`
      )
      .run()

    const restore = await request(`${t.url}/api/admin/backups/${made.body.backup.name}/restore`, {
      method: 'POST',
      headers: { cookie: admin }
    })
    expect(restore.status).toBe(202)
    await t.stop()
    const after = await start({ dataDir: t.dataDir, env: { API_SECRET_KEY: undefined } })
    const login = (name: string, password: string) =>
      request(`${after.url}/api/admin/login`, { body: { name, password } })
    expect((await login('Marta', 'new-password-2')).status).toBe(200)
    expect((await login('Marta', 'old-password-1')).status).toBe(401)
    expect((await login('Luis', 'luis-password-1')).status).toBe(200)
    // Whoever was signed in stays signed in; the device key is today's.
    expect(
      (await request(`${after.url}/api/admin/devices`, { headers: { cookie: marta } })).status
    ).toBe(200)
    expect(after.deviceKey).toBe(newKey)
    expect(after.deviceKey).not.toBe(oldKey)
    expect(
      after.core.db
        .prepare("SELECT token_state FROM device_credentials WHERE device_id = 'adopted-later'")
        .get()
    ).toEqual({ token_state: 'active' })

    // Asked for explicitly, the backup's accounts and key come back.
    const admin2 = await loginAs(after.url, after.adminPassword)
    const backups = await request(`${after.url}/api/admin/backups`, { headers: { cookie: admin2 } })
    const name = backups.body.backups.find(
      (b: { name: string }) => b.name === made.body.backup.name
    ).name
    const full = await request(`${after.url}/api/admin/backups/${name}/restore`, {
      headers: { cookie: admin2 },
      body: { restore_secrets: true }
    })
    expect(full.status).toBe(202)
    await after.stop()
    const old = await start({ dataDir: t.dataDir, env: { API_SECRET_KEY: undefined } })
    const oldLogin = (name: string, password: string) =>
      request(`${old.url}/api/admin/login`, { body: { name, password } })
    expect((await oldLogin('Marta', 'old-password-1')).status).toBe(200)
    expect((await oldLogin('Luis', 'luis-password-1')).status).toBe(401)
    expect(old.deviceKey).toBe(oldKey)
  })

  it('an import keeps the accounts and Telegram token of the install it lands on', async () => {
    const source = await start()
    const sourceAdmin = await source.login()
    await createAccount(source.url, sourceAdmin, 'Visitor', 'visitor-password')
    const archive = await exportArchive(source, sourceAdmin)

    const t = await start()
    const admin = await t.login()
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    const res = await importArchive(t, admin, archive)
    expect(res.status).toBe(202)
    await t.stop()
    const after = await start({ dataDir: t.dataDir })
    const login = (name: string, password: string) =>
      request(`${after.url}/api/admin/login`, { body: { name, password } })
    expect((await login('Marta', 'marta-password-1')).status).toBe(200)
    expect((await login('Visitor', 'visitor-password')).status).toBe(401)
  })

  it('exports leave the Telegram token out unless asked for', async () => {
    const t = await start()
    const cookie = await t.login()
    const token = '123456789:AAEexampleexampleexampleexample12345'
    t.core.db
      .prepare(
        "INSERT INTO settings (key, value, updated_at) VALUES ('telegram_bot_token', ?, 'now')"
      )
      .run(JSON.stringify(token))
    const dir = join(t.dataDir, 'test-input', `export-check-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    const tokenIn = async (bytes: Buffer) => {
      const file = join(dir, `${Math.random()}.tar.gz`)
      writeFileSync(file, bytes)
      const out = join(dir, `${Math.random()}`)
      mkdirSync(out)
      await tar.x({ file, cwd: out })
      const db = new Database(join(out, 'pastillero.db'), { readonly: true })
      const row = db.prepare("SELECT value FROM settings WHERE key = 'telegram_bot_token'").get()
      db.close()
      return row !== undefined
    }
    expect(await tokenIn(await exportArchive(t, cookie))).toBe(false)
    expect(await tokenIn(await exportArchive(t, cookie, '?include_telegram_token=true'))).toBe(true)
    const status = await request(`${t.url}/api/admin/telegram`, { headers: { cookie } })
    expect(JSON.stringify(status.body)).not.toContain(token)
  })

  it('the data folder is 0700 and its files 0600, including what an older version left open', async () => {
    const t = await start({ fileLogging: true, backups: true })
    await t.stop()
    // What a previous version left: a readable folder and files.
    chmodSync(t.dataDir, 0o755)
    chmodSync(join(t.dataDir, 'pastillero.db'), 0o644)
    writeFileSync(join(t.dataDir, 'backups', 'old-note.txt'), 'x', { mode: 0o644 })
    // Someone else's file in a folder they chose as the data folder is not Pastillero's to touch.
    writeFileSync(join(t.dataDir, 'their-notes.txt'), 'x', { mode: 0o644 })
    const again = await start({ dataDir: t.dataDir, fileLogging: true, backups: true })
    const cookie = await again.login()
    const uploaded = await uploadFirmware(again.url, cookie, buildEsp32Image({ version: '2.0.0' }))
    expect(uploaded.status).toBe(201)
    const made = await request(`${again.url}/api/admin/backups`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(made.status).toBe(201)
    await request(`${again.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': again.deviceKey },
      body: heartbeatBody('kitchen')
    })

    const d = again.dataDir
    expect(mode(d)).toBe(0o700)
    const files = [
      'pastillero.db',
      'pastillero.db-wal',
      'pastillero.db-shm',
      'logs/pastillero.log',
      `backups/${made.body.backup.name}`,
      'backups/old-note.txt'
    ]
    for (const f of files) expect([f, mode(join(d, f))]).toEqual([f, 0o600])
    expect(mode(join(d, 'their-notes.txt'))).toBe(0o644)
    for (const f of readdirSync(join(d, 'firmware')))
      expect([f, mode(join(d, 'firmware', f))]).toEqual([f, 0o600])
    for (const dir of ['logs', 'backups', 'firmware'])
      expect([dir, mode(join(d, dir)) & 0o077]).toEqual([dir, 0])
    const daily = readdirSync(join(d, 'backups')).filter((n) => n.includes('-auto-'))
    for (const f of daily) expect([f, mode(join(d, 'backups', f))]).toEqual([f, 0o600])
  })
})
