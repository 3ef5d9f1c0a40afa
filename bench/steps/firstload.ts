/**
 * Step `firstload`: the admin API calls the dashboard makes when it opens (src/renderer/src:
 * the router's session check, then the devices, settings, recent events and open alerts stores),
 * against the generated history (200 devices, 1,000,000 events by default). The session check
 * goes first, the other four in parallel over up to 6 keep-alive connections, as a browser
 * does; the figure is the wall time of the whole set, against GET /api/health on the same
 * server. Each call is also timed alone, for the breakdown. Not included: the static assets and
 * the live stream (GET /api/admin/stream stays open).
 */
import type { Context } from '../lib/context'
import { adminCookie, Client } from '../lib/http'
import { ADMIN_PASSWORD, DEVICE_KEY } from '../lib/paths'
import { serverScript, startServer, type RunningServer } from '../lib/servers'
import { fmt, ms, table, type Summary } from '../lib/stats'
import { timeRepeatedly } from './history'

const SESSION = '/api/admin/session'
const PARALLEL = [
  '/api/admin/devices',
  '/api/admin/settings',
  '/api/admin/events?limit=50',
  '/api/admin/alerts?open=true'
]

export async function runFirstLoad(ctx: Context): Promise<Record<string, unknown>> {
  const o = ctx.options
  const history = ctx.historyData()
  let server: RunningServer | undefined
  let total: Summary, health: Summary
  const each: Array<{ path: string; bytes: number; time: Summary }> = []
  try {
    server = await startServer({
      name: 'core-firstload',
      script: serverScript('core.ts'),
      env: {
        BENCH_DEVICE_KEY: DEVICE_KEY,
        BENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        BENCH_DATA_DIR: history.dataDir
      }
    })
    const cookie = await adminCookie(server.port)
    const client = new Client(server.port, { cookie }, 6)
    const ok = async (path: string) => {
      const res = await client.get(path)
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
      return res
    }
    const loadOnce = async () => {
      const t0 = performance.now()
      await ok(SESSION)
      await Promise.all(PARALLEL.map(ok))
      return performance.now() - t0
    }
    total = await timeRepeatedly(loadOnce, o.samples, o.caseBudgetS * 2)
    health = await timeRepeatedly(
      async () => (await ok('/api/health')).ms,
      o.samples,
      o.caseBudgetS
    )
    for (const path of [SESSION, ...PARALLEL]) {
      const bytes = (await ok(path)).body.length
      each.push({
        path,
        bytes,
        time: await timeRepeatedly(async () => (await ok(path)).ms, o.samples, o.caseBudgetS)
      })
    }
    client.close()
    await server.stop()
    server = undefined
  } finally {
    await server?.stop().catch(() => {})
  }
  ctx.log(
    `\n${history.devices} devices, ${fmt(history.events)} events:\n` +
      table([
        ['request', 'bytes', 'n', 'p50 ms', 'p99 ms'],
        [
          'whole first load (session, then 4 in parallel)',
          '',
          String(total.n),
          ms(total.p50),
          ms(total.p99)
        ],
        ...each.map((e) => [
          `  ${e.path} alone`,
          fmt(e.bytes),
          String(e.time.n),
          ms(e.time.p50),
          ms(e.time.p99)
        ]),
        ['baseline: GET /api/health', '', String(health.n), ms(health.p50), ms(health.p99)]
      ])
  )
  ctx.figure({
    step: 'firstload',
    name: 'dashboard first load: 5 admin API calls',
    value: `p50 ${ms(total.p50)} / p99 ${ms(total.p99)} ms`,
    baseline: `GET /api/health p50 ${ms(health.p50)} / p99 ${ms(health.p99)} ms`,
    ratio: `${(total.p50 / health.p50).toFixed(1)}× health (p50)`,
    target: '–',
    note: `slowest call alone: ${[...each].sort((a, b) => b.time.p50 - a.time.p50)[0]!.path}`
  })
  return { total, health, each }
}
