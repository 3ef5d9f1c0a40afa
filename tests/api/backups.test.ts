import Database from 'better-sqlite3'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tar from 'tar'
import { afterEach, describe, expect, it } from 'vitest'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { waitFor } from '../helpers/wait'

describe('backups, restore, export and retention', () => {
  const cores: TestCore[] = []
  const start = async (...args: Parameters<typeof startTestCore>) => {
    const t = await startTestCore(...args)
    cores.push(t)
    return t
  }
  afterEach(async () => {
    for (const t of cores.splice(0)) await t.dispose()
  })
  const beat = (t: TestCore, id: string) =>
    request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: heartbeatBody(id)
    })
  const deviceIds = async (t: TestCore, cookie: string) =>
    (await request(`${t.url}/api/admin/devices`, { headers: { cookie } })).body.devices.map(
      (d: { device_id: string }) => d.device_id
    )

  it('backs up online and restores into a fresh database at restart', async () => {
    let restartRequested = false
    const t = await start({ requestRestart: () => (restartRequested = true) })
    const cookie = await t.login()
    await beat(t, 'before-backup')
    const made = await request(`${t.url}/api/admin/backups`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(made.status).toBe(201)
    expect(made.body.backup).toMatchObject({
      kind: 'manual',
      name: expect.stringMatching(/^pastillero-manual-\d{8}T\d{6}Z\.db$/)
    })
    const list = await request(`${t.url}/api/admin/backups`, { headers: { cookie } })
    expect(list.body.backups.map((b: { name: string }) => b.name)).toEqual([made.body.backup.name])

    await beat(t, 'after-backup')
    expect(await deviceIds(t, cookie)).toEqual(['after-backup', 'before-backup'])

    const restore = await request(`${t.url}/api/admin/backups/${made.body.backup.name}/restore`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(restore.status).toBe(202)
    await new Promise((r) => setImmediate(r))
    expect(restartRequested).toBe(true)
    await t.stop()

    const again = await start({ dataDir: t.dataDir })
    expect(await deviceIds(again, await again.login())).toEqual(['before-backup'])
    // What was replaced is kept, not deleted.
    const replaced = readdirSync(join(t.dataDir, 'backups')).filter((n) =>
      n.startsWith('replaced-')
    )
    expect(replaced).toHaveLength(1)
    const old = new Database(join(t.dataDir, 'backups', replaced[0]!, 'pastillero.db'), {
      readonly: true
    })
    expect(old.prepare('SELECT COUNT(*) AS n FROM devices').get()).toEqual({ n: 2 })
    old.close()
  })

  it('refuses unknown or damaged backups and leaves the database alone', async () => {
    const t = await start()
    const cookie = await t.login()
    await beat(t, 'keep-me')
    expect(
      (
        await request(`${t.url}/api/admin/backups/nope.db/restore`, {
          method: 'POST',
          headers: { cookie }
        })
      ).status
    ).toBe(404)
    writeFileSync(
      join(t.dataDir, 'backups', 'pastillero-manual-20260101T000000Z.db'),
      'not a database at all'
    )
    const bad = await request(
      `${t.url}/api/admin/backups/pastillero-manual-20260101T000000Z.db/restore`,
      {
        method: 'POST',
        headers: { cookie }
      }
    )
    expect(bad.status).toBe(422)
    expect(existsSync(join(t.dataDir, 'restore-pending.json'))).toBe(false)
    await t.stop()
    const again = await start({ dataDir: t.dataDir })
    expect(await deviceIds(again, await again.login())).toEqual(['keep-me'])
  })

  it('exports the whole state as one archive and imports it into another install', async () => {
    const source = await start()
    const cookie = await source.login()
    await beat(source, 'exported-device')
    const image = buildEsp32Image({ version: '1.4.0' })
    await uploadFirmware(source.url, cookie, image)
    const res = await fetch(`${source.url}/api/admin/export`, { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/pastillero-\d{4}-\d\d-\d\d\.tar\.gz/)
    const archive = join(source.dataDir, 'export.tar.gz')
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()))
    const names: string[] = []
    await tar.t({ file: archive, onReadEntry: (e) => void names.push(e.path) })
    expect(names.sort()).toEqual(
      expect.arrayContaining([
        'pastillero.db',
        expect.stringMatching(/^firmware\/[0-9a-f]{64}\.bin$/)
      ])
    )

    const target = await start({ env: { ADMIN_PASSWORD: 'another admin password' } })
    const targetCookie = await (async () => {
      const login = await request(`${target.url}/api/admin/login`, {
        body: { password: 'another admin password' }
      })
      return login.headers.get('set-cookie')!.split(';')[0]!
    })()
    const form = new FormData()
    form.append(
      'file',
      new Blob([
        new Uint8Array(
          Buffer.from(
            await (
              await fetch(`${source.url}/api/admin/export`, { headers: { cookie } })
            ).arrayBuffer()
          )
        )
      ]),
      'x.tar.gz'
    )
    const imported = await fetch(`${target.url}/api/admin/import`, {
      method: 'POST',
      headers: { cookie: targetCookie },
      body: form
    })
    expect(imported.status).toBe(202)
    await target.stop()

    const restored = await start({ dataDir: target.dataDir })
    const c = await restored.login()
    expect(await deviceIds(restored, c)).toEqual(['exported-device'])
    const fw = await request(`${restored.url}/api/admin/firmware`, { headers: { cookie: c } })
    expect(fw.body.firmware.map((f: { version: string }) => f.version)).toEqual(['1.4.0'])
    const dl = await fetch(`${restored.url}/api/ota/download/1.4.0`, {
      headers: { 'X-API-Key': restored.deviceKey, 'X-Device-Id': 'exported-device' }
    })
    expect(Buffer.from(await dl.arrayBuffer()).equals(image)).toBe(true)
  })

  it('rejects an upload that is not an export', async () => {
    const t = await start()
    const cookie = await t.login()
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(Buffer.from('plain text'))]), 'x.tar.gz')
    const res = await fetch(`${t.url}/api/admin/import`, {
      method: 'POST',
      headers: { cookie },
      body: form
    })
    expect(res.status).toBe(422)
    expect(existsSync(join(t.dataDir, 'restore-pending.json'))).toBe(false)
  })

  it('takes a daily backup, keeps the newest N, and applies event retention', async () => {
    const t = await start()
    const cookie = await t.login()
    const key = { 'X-API-Key': t.deviceKey }
    await request(`${t.url}/api/events/`, {
      headers: key,
      body: {
        device_id: 'old',
        type: 'dose_taken',
        timestamp: new Date(Date.now() - 3 * 86_400_000).toISOString()
      }
    })
    await request(`${t.url}/api/events/`, {
      headers: key,
      body: { device_id: 'old', type: 'dose_taken' }
    })
    await request(`${t.url}/api/admin/settings`, {
      method: 'PATCH',
      headers: { cookie },
      body: { events_retention_days: 2, backup_keep: 2 }
    })
    await t.stop()

    const withBackups = await start({ dataDir: t.dataDir, backups: true })
    const c = await withBackups.login()
    const backups = withBackups.core.services.backups
    // The start-up backup runs beside the start; retention ran before it began.
    await waitFor('the start-up backup', () => backups.list().some((b) => b.kind === 'auto'))
    const events = await request(`${withBackups.url}/api/admin/events?device_id=old`, {
      headers: { cookie: c }
    })
    expect(events.body.events).toHaveLength(1)
    expect(backups.list().filter((b) => b.kind === 'auto')).toHaveLength(1)
    await backups.backupNow('auto', new Date(Date.now() + 86_400_000))
    await backups.backupNow('auto', new Date(Date.now() + 2 * 86_400_000))
    expect(backups.list().filter((b) => b.kind === 'auto')).toHaveLength(2)
  })
})
