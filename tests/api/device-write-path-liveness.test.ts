/**
 * Liveness of the device write path under a burst of events (issue 12's stalled bench round):
 * the server stopped answering after ~22,000 events because every 5-second alert tick ran one
 * query per alarm of the last 24 h, each on the wrong index (a database whose statistics predate
 * its events), and the WAL grew without bound because checkpoints never caught up with
 * back-to-back batches. These tests prove the fixes by what the code does, not by timing.
 */
import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAlertEngine } from '../../src/main/core/alerts/alert-engine'
import {
  createEventRepository,
  DEVICE_TYPE_BETWEEN_SQL,
  type EventRepository
} from '../../src/main/core/events/event-repository'
import { CoreEventBus } from '../../src/main/core/lib/event-bus'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import type { CheckpointResult } from '../../src/main/core/store/checkpointer'
import { request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

describe('the device write path stays live under a burst of events', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  const postEvent = (deviceId: string, type: string, eventId: string, at: number) =>
    request(`${t!.url}/api/events/`, {
      headers: { 'X-API-Key': t!.deviceKey },
      body: {
        device_id: deviceId,
        type,
        payload: { alarm_label: 'Mañana' },
        timestamp: Math.floor(at / 1000),
        event_id: eventId
      }
    })

  /** `pairs` alarms per device, each answered by its dose a minute later, posted over HTTP. */
  async function postAnsweredAlarms(devices: number, pairs: number, start: number) {
    for (let d = 0; d < devices; d++) {
      const posts: Array<Promise<unknown>> = []
      for (let i = 0; i < pairs; i++) {
        const at = start + i * 600_000
        posts.push(postEvent(`live-${d}`, 'alarm_triggered', `a-${d}-${i}`, at))
        posts.push(postEvent(`live-${d}`, 'dose_taken', `d-${d}-${i}`, at + 60_000))
      }
      for (const res of (await Promise.all(posts)) as Array<{ status: number }>)
        expect(res.status).toBe(200)
    }
  }

  it("one device's events of one type are read through its own index, whatever the statistics", async () => {
    t = await startTestCore()
    // A new install: the statistics were gathered on an empty events table.
    await postAnsweredAlarms(3, 20, Date.now() - 3 * 3600_000)
    await t.core.writer.flush()
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    try {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${DEVICE_TYPE_BETWEEN_SQL}`)
        .all('live-0', 'dose_taken', '2020-01-01', '2100-01-01') as Array<{ detail: string }>
      expect(plan.map((p) => p.detail).join(' ')).toContain('events_device_type_occurred')
      // Without the named index, SQLite picks the (type, occurred_at) one here: every event of
      // the type in the range, for every device (this is the plan that froze the bench).
      const unnamed = db
        .prepare(`EXPLAIN QUERY PLAN ${DEVICE_TYPE_BETWEEN_SQL.replace(/INDEXED BY \S+ /, '')}`)
        .all('live-0', 'dose_taken', '2020-01-01', '2100-01-01') as Array<{ detail: string }>
      expect(unnamed.map((p) => p.detail).join(' ')).not.toContain('events_device_type_occurred')
    } finally {
      db.close()
    }
  })

  it("an alert tick reads the window's events a fixed number of times, not once per alarm", async () => {
    t = await startTestCore()
    const start = Date.now() - 20 * 3600_000
    await postAnsweredAlarms(4, 15, start)
    // One alarm nobody answered (a device of its own), well past the missed-dose window.
    const res = await postEvent('live-lonely', 'alarm_triggered', 'lonely', start + 200_000)
    expect(res.status).toBe(200)
    await t.core.writer.flush()
    // The real repository on the core's database, counting the reads the tick makes.
    const real = createEventRepository(t.core.db)
    let reads = 0
    const counted: EventRepository = {
      ...real,
      ofTypeBetween: (...args) => (reads++, real.ofTypeBetween(...args)),
      forDeviceOfTypeBetween: (...args) => (reads++, real.forDeviceOfTypeBetween(...args))
    }
    const engine = createAlertEngine({
      alerts: t.core.services.alerts,
      events: counted,
      settings: t.core.services.settings,
      bus: new CoreEventBus(),
      log: createLogger('test', silentSink)
    })
    // Ten seconds on: alarms are judged once they have been here a few seconds (upload grace).
    engine.tick(new Date(Date.now() + 10_000))
    // 61 alarms: one query per alarm (62 reads) was the stall; the window is read per type.
    expect(reads).toBeLessThanOrEqual(2)
    // The same verdicts: the unanswered alarm is a missed dose, the 60 answered ones are not.
    const missed = t.core.db
      .prepare("SELECT dedupe_key FROM alerts WHERE kind = 'missed_dose'")
      .all() as Array<{ dedupe_key: string }>
    const lonely = t.core.db.prepare("SELECT id FROM events WHERE event_id = 'lonely'").get() as {
      id: number
    }
    expect(missed.map((m) => m.dedupe_key)).toEqual([`missed:${lonely.id}`])
  })

  it('the WAL restarts while batches come back to back (checkpoints run between batches)', async () => {
    t = await startTestCore({
      heartbeatFlushMs: 3_600_000,
      eventRateLimit: { capacity: 1e6, perSecond: 1e6 }
    })
    const writer = t.core.writer
    const results: CheckpointResult[] = []
    let checkpointing = false
    let committedDuringCheckpoint = 0
    writer.hooks.beforeCheckpoint = () => (checkpointing = true)
    writer.hooks.afterCheckpoint = (result) => {
      checkpointing = false
      results.push(result)
    }
    writer.hooks.afterCommit = () => {
      if (checkpointing) committedDuringCheckpoint++
    }
    // Keep batches back to back: 8 clients, each posting again as soon as it is answered, and a
    // checkpoint asked for every 25 answers, until 6 checkpoints have run.
    let answered = 0
    let n = 0
    const client = async () => {
      while (results.length < 6 && answered < 3000) {
        const res = await postEvent('wal-1', 'alarm_ack', `w-${n++}`, Date.now())
        expect(res.status).toBe(200)
        if (++answered % 25 === 0) writer.checkpoint()
      }
    }
    await Promise.all(Array.from({ length: 8 }, client))
    expect(results.length).toBeGreaterThanOrEqual(6)
    // No batch commits while the checkpointer copies the WAL, so every checkpoint caught up...
    expect(committedDuringCheckpoint).toBe(0)
    for (const r of results) expect(r.checkpointed).toBe(r.log)
    // ...so the log restarted: a later checkpoint found fewer frames than an earlier one.
    expect(results.some((r, i) => i > 0 && r.log < results[i - 1]!.log)).toBe(true)
    const walBytes = statSync(join(t.dataDir, 'pastillero.db-wal')).size
    expect(walBytes).toBeLessThan(32 * 2 ** 20)
  })
})

describe('first sight of a device', () => {
  it("a new device's adoption is written in the writer's batch, and its request goes on after it", async () => {
    const t = await startTestCore({ heartbeatFlushMs: 3_600_000 })
    try {
      const batches: Array<{ jobs: number; adopted: boolean }> = []
      const file = join(t.dataDir, 'pastillero.db')
      t.core.writer.hooks.afterDurable = (info) => {
        if (info.jobs === 0) return
        // Another connection sees the credential row once its batch is on disk.
        const db = new Database(file, { readonly: true })
        const row = db
          .prepare("SELECT status FROM device_credentials WHERE device_id = 'first-1'")
          .get() as { status: string } | undefined
        db.close()
        batches.push({ jobs: info.jobs, adopted: row?.status === 'adopted' })
      }
      const res = await request(`${t.url}/api/devices/heartbeat`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: { device_id: 'first-1' }
      })
      expect(res.status).toBe(200)
      // The adoption was one durable batch job, on disk before the heartbeat was answered.
      expect(batches).toEqual([{ jobs: 1, adopted: true }])
      // Known from then on: the next heartbeat adds no batch.
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: { device_id: 'first-1' }
      })
      expect(batches).toHaveLength(1)
    } finally {
      await t.dispose()
    }
  })
})
