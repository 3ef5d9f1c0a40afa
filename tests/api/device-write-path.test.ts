import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { x as untar } from 'tar'
import { afterEach, describe, expect, it } from 'vitest'
import { SOFT_SLICE_ROWS, type BatchInfo } from '../../src/main/core/store/batch-writer'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/** Resolves once `check()` is true, polling on the event loop (no fixed sleeps). */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function readDevice(file: string, deviceId: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        'SELECT name, firmware_version, last_seen, heartbeats FROM devices WHERE device_id = ?'
      )
      .get(deviceId) as
      { name: string; firmware_version: string; last_seen: string; heartbeats: number } | undefined
  } finally {
    db.close()
  }
}

describe('the device write path: group commit and held heartbeats', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  const key = () => ({ 'X-API-Key': t!.deviceKey })
  const postEvent = (eventId: string, deviceId = 'batch-1') =>
    request(`${t!.url}/api/events/`, {
      headers: key(),
      body: { device_id: deviceId, type: 'dose_taken', event_id: eventId }
    })
  /** First sight of these devices (their adoption is a batch of its own), before the hooks. */
  const adopt = async (...deviceIds: string[]) => {
    for (const id of deviceIds) {
      const res = await request(`${t!.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody(id)
      })
      expect(res.status).toBe(200)
    }
  }

  // No timed soft batch in these tests (heartbeatFlushMs): each fsync counted is an event batch's.
  it("an event's acknowledgement leaves only after its batch is committed and on disk", async () => {
    t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    await adopt('batch-1')
    const writer = t.core.writer
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let reached!: (info: BatchInfo) => void
    const durable = new Promise<BatchInfo>((resolve) => (reached = resolve))
    writer.hooks.afterCommit = (info) => {
      if (info.jobs > 0) order.push('committed')
    }
    writer.hooks.afterDurable = (info) => {
      if (info.jobs === 0) return
      order.push('on disk')
      reached(info)
      return held // the answers wait for this
    }
    const fsyncsBefore = writer.stats.fsyncs
    const answered = postEvent('ack-1').then((res) => {
      order.push('answered')
      return res
    })
    const info = await durable
    expect(info.jobs).toBe(1)
    // The row is committed (another connection sees it) while the answer is still held back...
    const reader = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    expect(
      reader.prepare("SELECT COUNT(*) AS n FROM events WHERE event_id = 'ack-1'").get()
    ).toEqual({ n: 1 })
    reader.close()
    // ...and a whole round trip on another connection does not bring it either.
    expect((await request(`${t.url}/api/health`)).status).toBe(200)
    expect(order).toEqual(['committed', 'on disk'])
    release()
    const res = await answered
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true, id: expect.any(Number) })
    expect(order).toEqual(['committed', 'on disk', 'answered'])
    expect(writer.stats.fsyncs - fsyncsBefore).toBe(1)
  })

  it('events that arrive together share one transaction and one fsync, in arrival order', async () => {
    t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    await adopt('batch-0', 'batch-1', 'batch-2', 'batch-3')
    const writer = t.core.writer
    const batches: BatchInfo[] = []
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let first = true
    writer.hooks.afterDurable = (info) => {
      if (info.jobs === 0) return
      batches.push(info)
      if (!first) return
      first = false
      return held // holds the first batch: the others queue up behind it
    }
    const before = { ...writer.stats }
    const one = postEvent('g-0')
    await until(() => batches.length === 1, 'the first batch')
    const rest = Array.from({ length: 19 }, (_, i) => postEvent(`g-${i + 1}`, `batch-${i % 4}`))
    await until(() => writer.queued === 19, 'the other events to queue')
    release()
    const answers = await Promise.all([one, ...rest])
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200))
    expect(batches.map((b) => b.jobs)).toEqual([1, 19])
    // One fsync per durable batch, whatever it carried.
    expect(writer.stats.fsyncs - before.fsyncs).toBe(writer.stats.batches - before.batches)
    // Ids follow arrival order, so each device's events keep their order.
    const ids = answers.map((a) => (a.body as { id: number }).id)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    // A retry in a later batch is the same event, not a new one.
    const again = await postEvent('g-3', 'batch-2')
    expect(again.body).toEqual({ ok: true, id: ids[3], duplicate: true })
  })

  it('held heartbeats are written on stop: a restart shows the last seen', async () => {
    // A flush interval longer than the test: only the stop can write them.
    t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    const file = join(t.dataDir, 'pastillero.db')
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('held-1')
    })
    const last = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('held-1', { name: 'Cocina', firmware_version: '1.2.3' })
    })
    expect(last.status).toBe(200)
    expect(readDevice(file, 'held-1')).toBeUndefined() // held in memory, not written yet
    await t.stop()
    const stored = readDevice(file, 'held-1')
    expect(stored).toMatchObject({ name: 'Cocina', firmware_version: '1.2.3', heartbeats: 2 })
    const again = await startTestCore({ dataDir: t.dataDir, heartbeatFlushMs: 3_600_000 })
    t = again
    const cookie = await again.login()
    const device = await request(`${again.url}/api/admin/devices/held-1`, { headers: { cookie } })
    expect(device.body.device).toMatchObject({
      name: 'Cocina',
      heartbeats: 2,
      last_seen: stored!.last_seen
    })
  })

  it('held heartbeats are written before a backup and an export', async () => {
    t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    const file = join(t.dataDir, 'pastillero.db')
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('snap-1', { name: 'Baño' })
    })
    expect(readDevice(file, 'snap-1')).toBeUndefined()
    const backup = await t.core.services.backups.backupNow('manual')
    const backupFile = join(t.dataDir, 'backups', backup.name)
    expect(readDevice(backupFile, 'snap-1')).toMatchObject({ name: 'Baño', heartbeats: 1 })

    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('snap-2', { name: 'Salón' })
    })
    const dir = mkdtempSync(join(tmpdir(), 'pastillero-export-'))
    try {
      const { stream, cleanup } = await t.core.services.backups.exportArchive()
      await pipeline(stream, createWriteStream(join(dir, 'export.tar.gz')))
      cleanup()
      await untar({ file: join(dir, 'export.tar.gz'), cwd: dir })
      expect(readDevice(join(dir, 'pastillero.db'), 'snap-2')).toMatchObject({
        name: 'Salón',
        heartbeats: 1
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a timer-driven write of many held heartbeats goes in slices, the event loop free between', async () => {
    t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    const ids = Array.from({ length: 600 }, (_, i) => `slice-${i}`)
    const beatAll = async (extra: Record<string, unknown>) => {
      for (let i = 0; i < ids.length; i += 10)
        await Promise.all(
          ids.slice(i, i + 10).map(async (id) => {
            const res = await request(`${t!.url}/api/devices/heartbeat`, {
              headers: key(),
              body: heartbeatBody(id, extra)
            })
            expect(res.status).toBe(200)
          })
        )
    }
    await beatAll({}) // first sight: adopted, each in a durable batch
    await t.core.writer.flush()
    await beatAll({ name: 'Cocina' }) // held in memory: 600 heartbeats and 600 sightings
    const file = join(t.dataDir, 'pastillero.db')
    expect(readDevice(file, 'slice-599')?.name).not.toBe('Cocina')

    const order: string[] = []
    let rows = 0
    t.core.writer.hooks.afterCommit = (info: BatchInfo) => {
      order.push(`slice of ${info.softRows}`)
      rows += info.softRows
      // Runs only if the event loop gets a turn before the next slice commits.
      setImmediate(() => order.push('loop'))
    }
    t.core.writer.writeSoftSoon()
    await until(() => rows >= 1200, 'every held row written')
    const slices = order.filter((o) => o !== 'loop')
    expect(slices.length).toBeGreaterThanOrEqual(Math.ceil(1200 / SOFT_SLICE_ROWS))
    for (const slice of slices)
      expect(Number(slice.split(' ').at(-1))).toBeLessThanOrEqual(SOFT_SLICE_ROWS)
    // Between two slices the loop ran: never two slices in a row.
    for (let i = 1; i < order.length; i++)
      if (order[i] !== 'loop') expect(order[i - 1], order.join(', ')).toBe('loop')
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      const written = db
        .prepare("SELECT COUNT(*) AS n FROM devices WHERE name = 'Cocina' AND heartbeats = 2")
        .get() as { n: number }
      expect(written.n).toBe(600)
    } finally {
      db.close()
    }
  })
})
