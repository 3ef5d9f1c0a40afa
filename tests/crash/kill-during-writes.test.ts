import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import {
  CRASH_DEVICE_KEY,
  integrityCheck,
  login,
  seededRandom,
  sleep,
  startServer,
  withDb,
  type ServerProcess
} from './server-process'

const ROUNDS = 5
const DISPENSERS = 6
const UPLOADERS = 2
const SEED = Number(process.env.CRASH_SEED ?? 20261126)

interface FirmwareRow {
  id: number
  version: string
  sha256: string
  size: number
}

/**
 * SIGKILLs the headless server (its own process, no shutdown hooks) at random moments while
 * dispensers post events and heartbeats and the dashboard uploads and deletes firmware, then
 * looks at what the next start finds: an intact database holding every event, heartbeat and
 * upload that was acknowledged with a 2xx; firmware rows whose files exist with the right size
 * and SHA-256; and, once the start-up sweep has run, no file that no row uses.
 */
describe('crash safety: SIGKILL during writes', () => {
  const root = mkdtempSync(join(tmpdir(), 'pastillero-crash-'))
  const dataDir = join(root, 'data')
  const firmwareDir = join(dataDir, 'firmware')
  let server: ServerProcess | undefined
  afterAll(async () => {
    await server?.kill()
    rmSync(root, { recursive: true, force: true })
  })

  const acked = {
    events: new Map<string, string>(), // event_id → device_id
    beats: new Map<string, number>(), // device_id → heartbeats acknowledged
    // device_id → heartbeats acknowledged before its last acknowledged event. Heartbeats are
    // soft state held in memory up to ~1 s, but they ride along with the next durable batch:
    // those must be on disk; the ones since may be lost to a kill (docs/performance.md).
    durableBeats: new Map<string, number>(),
    uploads: new Map<string, string>(), // version → sha256
    deleting: new Set<string>(), // versions whose DELETE was sent (it may have landed unanswered)
    deleted: new Set<string>() // versions whose DELETE was acknowledged
  }

  function expectFilesMatchRows(rows: FirmwareRow[], when: string) {
    for (const row of rows) {
      const path = join(firmwareDir, `${row.sha256}.bin`)
      expect(existsSync(path), `${when}: file of ${row.version}`).toBe(true)
      const bytes = readFileSync(path)
      expect(bytes.length, `${when}: size of ${row.version}`).toBe(row.size)
      const sha = createHash('sha256').update(bytes).digest('hex')
      expect(sha, `${when}: SHA-256 of ${row.version}`).toBe(row.sha256)
    }
  }

  /** Everything a kill may not lose or tear, checked on the files of the dead process. */
  function checkAfterKill(when: string): { events: number; rows: FirmwareRow[] } {
    return withDb(dataDir, (db) => {
      expect(integrityCheck(db), when).toBe('ok')
      const stored = new Set(
        (db.prepare('SELECT event_id FROM events').all() as Array<{ event_id: string }>).map(
          (r) => r.event_id
        )
      )
      const lost = [...acked.events.keys()].filter((id) => !stored.has(id))
      expect(lost, `${when}: acknowledged events lost`).toEqual([])
      const beats = new Map(
        (
          db.prepare('SELECT device_id, heartbeats FROM devices').all() as Array<{
            device_id: string
            heartbeats: number
          }>
        ).map((r) => [r.device_id, r.heartbeats])
      )
      for (const [id, n] of acked.durableBeats)
        expect(beats.get(id) ?? 0, `${when}: heartbeats of ${id}`).toBeGreaterThanOrEqual(n)

      const rows = db
        .prepare('SELECT id, version, sha256, size FROM firmware')
        .all() as FirmwareRow[]
      expectFilesMatchRows(rows, when)
      const versions = new Set(rows.map((r) => r.version))
      for (const [version, sha] of acked.uploads) {
        if (acked.deleted.has(version))
          expect(versions.has(version), `${when}: deleted ${version} came back`).toBe(false)
        else if (!acked.deleting.has(version)) {
          expect(versions.has(version), `${when}: acknowledged upload ${version} lost`).toBe(true)
          expect(rows.find((r) => r.version === version)!.sha256).toBe(sha)
        }
      }
      return { events: stored.size, rows }
    })
  }

  /** After a start the sweep has run: only files that rows use are left, and no temp files. */
  function expectSweptClean(rows: FirmwareRow[], when: string) {
    const used = [...new Set(rows.map((r) => `${r.sha256}.bin`))].sort()
    expect(readdirSync(firmwareDir).sort(), when).toEqual(used)
  }

  it(`loses nothing acknowledged across ${ROUNDS} kills (seed ${SEED})`, async () => {
    // Two streams so the kill moments depend on the seed alone, not on how much work got done.
    const killAt = seededRandom(SEED)
    const sizes = seededRandom(SEED + 1)
    const report: string[] = []
    let swept = 0
    let rows: FirmwareRow[] = []

    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer(dataDir)
      const { url } = server
      if (round > 0) expectSweptClean(rows, `start ${round}`)
      const cookie = await login(url)
      let killed = false
      const count = { requests: 0, cutOff: 0, uploads: 0 }

      // A dispenser: events with its own unique event_ids, a heartbeat every fourth event.
      const dispenser = async (c: number) => {
        const deviceId = `CR:AS:H0:00:00:${c.toString(16).padStart(2, '0')}`
        const post = async (path: string, body: unknown) => {
          count.requests++
          const res = await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { 'X-API-Key': CRASH_DEVICE_KEY, 'content-type': 'application/json' },
            body: JSON.stringify(body)
          })
          // Only a response read in full counts as acknowledged, as for a real dispenser.
          const json = (await res.json()) as { ok?: boolean }
          return res.status >= 200 && res.status < 300 && json.ok === true
        }
        for (let seq = 0; !killed; seq++) {
          const eventId = `r${round}-c${c}-${seq}`
          try {
            const stored = await post('/api/events/', {
              device_id: deviceId,
              type: seq % 3 === 0 ? 'dose_taken' : 'alarm_triggered',
              event_id: eventId,
              timestamp: Math.floor(Date.now() / 1000),
              payload: { alarm_label: `Toma ${seq}`, round }
            })
            if (stored) {
              acked.events.set(eventId, deviceId)
              acked.durableBeats.set(deviceId, acked.beats.get(deviceId) ?? 0)
            }
            if (seq % 4 === 0 && (await post('/api/devices/heartbeat', { device_id: deviceId })))
              acked.beats.set(deviceId, (acked.beats.get(deviceId) ?? 0) + 1)
          } catch {
            if (!killed) throw new Error(`request failed before the kill (round ${round})`)
            count.cutOff++ // the server died mid-request: never acknowledged
            return
          }
        }
      }

      // The dashboard: uploads of 128 KiB–1 MiB images; every third reuses the previous bytes
      // under a new version (two rows, one file); every fourth is deleted again.
      const uploader = async (c: number) => {
        let previous: Buffer | undefined
        for (let seq = 0; !killed; seq++) {
          const version = `${round + 1}.${c}.${seq}`
          const bytes =
            previous && seq % 3 === 2
              ? previous
              : buildEsp32Image({
                  version,
                  seed: round * 1000 + c * 100 + seq,
                  bodySize: 128 * 1024 + Math.floor(sizes() * 896 * 1024)
                })
          previous = bytes
          try {
            count.uploads++
            const up = await uploadFirmware(url, cookie, bytes, { version })
            if (up.status !== 201) throw new Error(`upload ${version}: ${up.status}`)
            acked.uploads.set(up.body.firmware.version, up.body.firmware.sha256)
            if (seq % 4 === 3) {
              acked.deleting.add(version)
              const del = await fetch(`${url}/api/admin/firmware/${up.body.firmware.id}`, {
                method: 'DELETE',
                headers: { cookie }
              })
              await del.text()
              if (del.status === 200) acked.deleted.add(version)
            }
          } catch (err) {
            if (!killed) throw err
            count.cutOff++
            return
          }
        }
      }

      const work = [
        ...Array.from({ length: DISPENSERS }, (_, c) => dispenser(c)),
        ...Array.from({ length: UPLOADERS }, (_, c) => uploader(c))
      ]
      const delay = 300 + Math.floor(killAt() * 1200)
      await sleep(delay)
      killed = true
      expect(await server.kill(), server.output()).toBe('SIGKILL')
      await Promise.all(work)
      server = undefined

      const filesBefore = readdirSync(firmwareDir).length
      const after = checkAfterKill(`after kill ${round}`)
      // Heartbeats after a device's last acknowledged event may be gone: count from what is sure.
      for (const [id, n] of acked.durableBeats) acked.beats.set(id, n)
      rows = after.rows
      const leftovers = filesBefore - new Set(rows.map((r) => r.sha256)).size
      swept += leftovers
      report.push(
        `kill ${round + 1} at ${delay} ms: ${count.requests} device requests, ${count.uploads} ` +
          `uploads, ${count.cutOff} cut off; ${after.events} events, ${rows.length} firmware ` +
          `rows, ${leftovers} leftover files for the sweep`
      )
    }

    // One more start on the same files: the sweep cleaned up, a dispenser retrying an event it
    // got acknowledged before a crash is told it is a duplicate, and nothing changed on disk.
    server = await startServer(dataDir)
    expectSweptClean(rows, 'last start')
    const [eventId, deviceId] = [...acked.events.entries()][0]!
    const retry = await fetch(`${server.url}/api/events/`, {
      method: 'POST',
      headers: { 'X-API-Key': CRASH_DEVICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: deviceId, type: 'dose_taken', event_id: eventId })
    })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toMatchObject({ ok: true, duplicate: true })
    expect(await server.kill()).toBe('SIGKILL')
    server = undefined
    checkAfterKill('after the last start')

    // The workload really ran, so the checks above were about something.
    expect(acked.events.size).toBeGreaterThan(ROUNDS * DISPENSERS)
    expect(acked.uploads.size).toBeGreaterThan(ROUNDS)
    report.push(
      `${acked.events.size} events and ${[...acked.beats.values()].reduce((a, b) => a + b, 0)} ` +
        `heartbeats acknowledged, all present; ${acked.uploads.size} uploads acknowledged ` +
        `(${acked.deleted.size} deleted again), all consistent; ${swept} leftover files swept`
    )
    console.log(`crash (seed ${SEED}):\n  ${report.join('\n  ')}`)
  }, 120_000)
})
