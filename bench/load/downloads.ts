/**
 * OTA load for the `ota` step, in its own process so the downloads' CPU stays out of the
 * process that times the heartbeats: BENCH_CONCURRENCY dispensers each download
 * /api/ota/download/BENCH_VERSION over and over (a fresh connection per download, as an ESP32's
 * HTTPUpdate does), until told to stop; BENCH_BYTES_PER_SECOND limits each download's speed.
 * Speaks the servers' protocol (bench/servers/protocol.ts):
 * `ready` once every download is under way, `stop` → what it did.
 */
import { request } from 'node:http'
import { deviceIdFor } from '../../scripts/simulator/identity'
import { announceReady, onStop } from '../servers/protocol'

const port = Number(process.env.BENCH_PORT)
const version = process.env.BENCH_VERSION ?? '2.0.0'
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50)
const expected = Number(process.env.BENCH_SIZE)
const key = process.env.BENCH_DEVICE_KEY ?? ''
/** Per-download speed limit in bytes per second (0: as fast as loopback allows). */
const limit = Number(process.env.BENCH_BYTES_PER_SECOND ?? 0)

let running = true
let completed = 0
let failed = 0
let bytes = 0
const durations: number[] = []
const inFlight = new Set<import('node:http').ClientRequest>()
const started = performance.now()
let firstError = ''

function download(device: string): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/ota/download/${version}`,
        agent: false,
        headers: { 'x-api-key': key, 'x-esp32-sta-mac': device }
      },
      (res) => {
        let got = 0
        res.on('data', (chunk: Buffer) => {
          got += chunk.length
          bytes += chunk.length
          // Throttled like a dispenser on Wi-Fi: reading slower makes TCP slow the server down.
          const aheadMs = limit > 0 ? (got / limit) * 1000 - (performance.now() - t0) : 0
          if (aheadMs > 1 && running) {
            res.pause()
            setTimeout(() => res.resume(), aheadMs)
          }
        })
        res.on('end', () => {
          inFlight.delete(req)
          if (res.statusCode === 200 && got === expected) {
            completed++
            durations.push(performance.now() - t0)
          } else if (running) {
            failed++
            firstError ||= `status ${res.statusCode}, ${got} of ${expected} bytes`
          }
          resolve()
        })
        res.on('error', () => resolve())
      }
    )
    inFlight.add(req)
    req.on('error', (err) => {
      inFlight.delete(req)
      if (running) {
        failed++
        firstError ||= err.message
      }
      resolve()
    })
    req.end()
  })
}

/** A dispenser beats before it updates: that heartbeat adopts it (downloads name an adopted device). */
function heartbeat(device: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/devices/heartbeat',
        agent: false,
        headers: { 'x-api-key': key, 'content-type': 'application/json' }
      },
      (res) => {
        if (res.statusCode !== 200) firstError ||= `heartbeat status ${res.statusCode}`
        res.resume()
        res.on('end', () => resolve())
      }
    )
    req.on('error', (err) => {
      firstError ||= err.message
      resolve()
    })
    req.end(JSON.stringify({ device_id: device, firmware_version: '1.0.0' }))
  })
}

async function worker(i: number): Promise<void> {
  const device = deviceIdFor(i, 'ota-bench')
  await heartbeat(device)
  while (running) await download(device)
}

const workers = Array.from({ length: concurrency }, (_, i) => worker(i))
announceReady('downloads', 0)

onStop(async () => {
  running = false
  const elapsedS = (performance.now() - started) / 1000
  for (const req of inFlight) req.destroy()
  await Promise.all(workers)
  if (firstError) process.stderr.write(`[downloads] first failure: ${firstError}\n`)
  const sorted = Float64Array.from(durations).sort()
  const pick = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
  return {
    completed,
    failed,
    bytes,
    elapsedS,
    downloadP50Ms: pick(0.5),
    downloadP99Ms: pick(0.99),
    downloadMaxMs: sorted.length ? sorted[sorted.length - 1]! : NaN
  }
})
