/**
 * Step `ota`: heartbeats at a fixed rate, alone and while BENCH_CONCURRENCY dispensers download a
 * 1.5 MB firmware image over and over (bench/load/downloads.ts, in its own process). Heartbeats
 * are sent on a fixed schedule (bench/lib/paced.ts), latency counted from the scheduled time.
 * The figure is
 * the heartbeat p99 during the downloads against the p99 without them, in the same run, on the
 * same core. Rounds alternate which phase goes first.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { buildEsp32Image } from '../../tests/helpers/esp32-image'
import { summariseProfile } from '../profile'
import { fleetBodies } from '../lib/bodies'
import { paced, type PacedRun } from '../lib/paced'
import type { Context } from '../lib/context'
import { adminCookie, Client } from '../lib/http'
import { BENCH_DIR, DEVICE_KEY, RESULTS_DIR } from '../lib/paths'
import { serverScript, startServer, type RunningServer } from '../lib/servers'
import { deviceIdFor } from '../../scripts/simulator/identity'
import { fmt, median, ms, table } from '../lib/stats'

const VERSION = '2.0.0'

/** What bench/load/downloads.ts reports when stopped. */
interface DownloadStats {
  completed: number
  failed: number
  bytes: number
  elapsedS: number
  downloadP50Ms: number
  downloadP99Ms: number
  downloadMaxMs: number
}

interface Phase {
  round: number
  downloads: boolean
  heartbeats: PacedRun
  load?: DownloadStats
}

export async function runOta(ctx: Context): Promise<Record<string, unknown>> {
  const o = ctx.options
  const image = buildEsp32Image({ version: VERSION, bodySize: o.otaImageBytes })
  ctx.log(
    `${o.otaDownloads} concurrent downloads of a ${fmt(image.length / 1e6, 2)} MB image ` +
      `(${o.otaKbps ? `${o.otaKbps} kB/s each` : 'unthrottled'}) vs none; ` +
      `heartbeats at a steady ${o.otaRate}/s (open loop, up to ${o.connections} connections); ` +
      `${o.rounds} rounds × 2 phases × ${o.durationS} s`
  )
  const servers: RunningServer[] = []
  const phases: Phase[] = []
  try {
    const core = await startServer({
      name: 'core-ota',
      script: serverScript('core.ts'),
      env: { BENCH_DEVICE_KEY: DEVICE_KEY },
      cpuProfDir: o.cpuProf ? join(RESULTS_DIR, 'profiles', 'core-ota') : undefined
    })
    servers.push(core)
    const cookie = await adminCookie(core.port)
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(image)]), `pastillero-${VERSION}.bin`)
    const upload = await fetch(`http://127.0.0.1:${core.port}/api/admin/firmware`, {
      method: 'POST',
      headers: { cookie },
      body: form
    })
    if (upload.status !== 201)
      throw new Error(`firmware upload answered ${upload.status}: ${await upload.text()}`)
    // One download by hand first: the image must come back whole. A download names its device
    // (issue 13: an adopted one, as Arduino's HTTPUpdate does with its STA MAC), so the device
    // beats first, as a dispenser does before it updates.
    const probeDevice = deviceIdFor(0, 'ota-probe')
    const probe = new Client(core.port, { 'x-api-key': DEVICE_KEY })
    const beat = await probe.request('POST', '/api/devices/heartbeat', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: probeDevice, firmware_version: '1.0.0' })
    })
    if (beat.status !== 200) throw new Error(`probe heartbeat answered ${beat.status}`)
    const res = await probe.get(`/api/ota/download/${VERSION}`, {
      'x-esp32-sta-mac': probeDevice
    })
    probe.close()
    if (res.status !== 200 || !res.body.equals(image))
      throw new Error(`OTA download answered ${res.status} with ${res.body.length} bytes`)

    const bodies = fleetBodies(o.devices)
    const heartbeats = (seconds: number) =>
      paced({
        port: core.port,
        path: '/api/devices/heartbeat',
        nextBody: bodies.nextHeartbeat,
        sockets: o.connections,
        seconds,
        rate: o.otaRate
      })
    if (o.warmupS > 0) await heartbeats(o.warmupS)

    const phase = async (round: number, downloads: boolean): Promise<Phase> => {
      if (!downloads) return { round, downloads, heartbeats: await heartbeats(o.durationS) }
      const load = await startServer({
        name: 'downloads',
        script: join(BENCH_DIR, 'load', 'downloads.ts'),
        env: {
          BENCH_PORT: String(core.port),
          BENCH_VERSION: VERSION,
          BENCH_CONCURRENCY: String(o.otaDownloads),
          BENCH_SIZE: String(image.length),
          BENCH_DEVICE_KEY: DEVICE_KEY,
          BENCH_BYTES_PER_SECOND: String(o.otaKbps * 1000)
        }
      })
      servers.push(load)
      await new Promise((r) => setTimeout(r, 500)) // every download under way
      const run = await heartbeats(o.durationS)
      // NaN (no download finished) travels as null in the protocol's JSON.
      const raw = (await load.stop()) as unknown as Record<keyof DownloadStats, number | null>
      const stats = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, v ?? NaN])
      ) as unknown as DownloadStats
      servers.splice(servers.indexOf(load), 1)
      return { round, downloads, heartbeats: run, load: stats }
    }
    for (let round = 1; round <= o.rounds; round++) {
      const order = round % 2 === 1 ? [false, true] : [true, false]
      for (const downloads of order) {
        const p = await phase(round, downloads)
        phases.push(p)
        const h = p.heartbeats
        ctx.log(
          `round ${round} ${downloads ? 'with downloads' : 'no downloads  '}: ${h.ok} heartbeats, ` +
            `p50 ${ms(h.latencyMs.p50)} ms p99 ` +
            `${ms(h.latencyMs.p99)} ms max ${ms(h.latencyMs.max)} ms, failed ${h.failed}` +
            (p.load
              ? `; ${p.load.completed} downloads done (${fmt(p.load.bytes / 2 ** 20 / p.load.elapsedS)} MB/s, ` +
                `each p50 ${ms(p.load.downloadP50Ms)} ms p99 ${ms(p.load.downloadP99Ms)} ms), ` +
                `${p.load.failed} failed`
              : '')
        )
      }
    }
    await core.stop()
    servers.splice(servers.indexOf(core), 1)
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()))
  }

  const of = (downloads: boolean) => phases.filter((p) => p.downloads === downloads)
  const med = (downloads: boolean, key: (p: Phase) => number) => median(of(downloads).map(key))
  const p99 = (d: boolean) => med(d, (p) => p.heartbeats.latencyMs.p99)
  const p50 = (d: boolean) => med(d, (p) => p.heartbeats.latencyMs.p50)
  const loads = of(true).map((p) => p.load!)
  const completed = loads.reduce((n, l) => n + l.completed, 0)
  const failed = loads.reduce((n, l) => n + l.failed, 0)
  const mbPerS = median(loads.map((l) => l.bytes / 2 ** 20 / l.elapsedS))
  const finite = (xs: number[]) => xs.filter(Number.isFinite)
  const downloadP99 = median(finite(loads.map((l) => l.downloadP99Ms)))
  const downloadP50 = median(finite(loads.map((l) => l.downloadP50Ms)))

  ctx.log(
    `\nmedian over ${o.rounds} rounds:\n` +
      table([
        ['heartbeats at ' + o.otaRate + '/s', 'p50 ms', 'p99 ms', 'max ms', 'answered'],
        ...[false, true].map((d) => [
          d ? `during ${o.otaDownloads} downloads` : 'without downloads',
          ms(p50(d)),
          ms(p99(d)),
          ms(med(d, (p) => p.heartbeats.latencyMs.max)),
          fmt(med(d, (p) => p.heartbeats.ok))
        ])
      ]) +
      `\ndownloads: ${completed} completed, ${failed} failed, ${fmt(mbPerS)} MB/s served, ` +
      `each took p50 ${ms(downloadP50)} ms, p99 ${ms(downloadP99)} ms`
  )
  if (o.cpuProf) {
    const dir = join(RESULTS_DIR, 'profiles', 'core-ota')
    const main = readdirSync(dir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    ctx.log(`\n${summariseProfile(main ? join(dir, main) : dir, 'core-ota (all phases)')}`)
  }
  ctx.figure({
    step: 'ota',
    name:
      `heartbeat p99 during ${o.otaDownloads} OTA downloads (${o.otaRate} hb/s` +
      (o.otaKbps ? `, ≤ ${o.otaKbps} kB/s each)` : ')'),
    value: `${ms(p99(true))} ms`,
    baseline: `no downloads ${ms(p99(false))} ms`,
    ratio: `${(p99(true) / p99(false)).toFixed(2)}×`,
    target: '–'
  })
  ctx.figure({
    step: 'ota',
    name: `heartbeat p50 during ${o.otaDownloads} OTA downloads`,
    value: `${ms(p50(true))} ms`,
    baseline: `no downloads ${ms(p50(false))} ms`,
    ratio: `${(p50(true) / p50(false)).toFixed(2)}×`,
    target: '–'
  })
  ctx.figure({
    step: 'ota',
    name:
      `OTA download of ${fmt(image.length / 1e6, 1)} MB, ${o.otaDownloads} at once` +
      (o.otaKbps ? ` at ≤ ${o.otaKbps} kB/s` : ', unthrottled'),
    value: `p50 ${ms(downloadP50)} ms, p99 ${ms(downloadP99)} ms`,
    baseline: '–',
    ratio: '–',
    target: '–',
    note: `${fmt(mbPerS)} MB/s served in all, ${completed} downloads, ${failed} failed`
  })

  const bad = phases.filter((p) => p.heartbeats.failed > 0)
  if (bad.length) ctx.broken.push(`ota: ${bad.length} heartbeat run(s) had failed requests`)
  if (failed > 0) ctx.broken.push(`ota: ${failed} download(s) failed or came back short`)
  // Throttled downloads may outlast a phase; unthrottled ones must finish.
  if (completed === 0 && !o.otaKbps) ctx.broken.push('ota: no download completed')
  if (loads.some((l) => l.bytes === 0)) ctx.broken.push('ota: a phase served no bytes at all')
  return { imageBytes: image.length, phases }
}
