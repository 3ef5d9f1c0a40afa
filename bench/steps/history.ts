/**
 * Step `history`: GET /api/admin/events over the generated history (1,000,000 events by
 * default), timed at the client over loopback with keep-alive (so: the server's time plus a
 * loopback round trip), against two floors measured in the same run:
 * - SQL: the same statement the core's event repository builds, prepared once and run directly
 *   with better-sqlite3 in this process on the same file (how fast SQLite answers it);
 * - HTTP: GET /api/health on the same server (what any request costs).
 * Cases: first pages filtered by device and type (a device with two years of history, and one
 * added last week) and deep pages reached by following next_cursor up to 200 pages in (or to
 * the last page, when the filter has fewer).
 */
import Database from 'better-sqlite3'
import type { Context } from '../lib/context'
import { adminCookie, Client } from '../lib/http'
import { ADMIN_PASSWORD, DEVICE_KEY } from '../lib/paths'
import { serverScript, startServer, type RunningServer } from '../lib/servers'
import { fmt, ms, summarise, table, type Summary } from '../lib/stats'

export const HISTORY_TARGET_MS = 20

interface Query {
  device_id?: string
  type?: string
  limit: number
}

interface EventPage {
  events: Array<{ id: number }>
  next_cursor: string | null
}

/**
 * The statement src/main/core/events/event-repository.ts list() builds, and its parameters.
 * `deviceIndex` is a diagnostic, not the core's SQL: `+type` keeps SQLite from using the type
 * index, so a device + type filter walks the device's own index instead.
 */
function repositorySql(q: Query, cursor: string | null, deviceIndex = false) {
  const where: string[] = []
  const params: Record<string, string | number> = { limit: q.limit + 1 }
  if (q.device_id) {
    where.push('device_id = @device_id')
    params.device_id = q.device_id
  }
  if (q.type) {
    where.push(deviceIndex ? '+type = @type' : 'type = @type')
    params.type = q.type
  }
  if (cursor) {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, number]
    where.push('(occurred_at, id) < (@before_at, @before_id)')
    params.before_at = at
    params.before_id = id
  }
  const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, id DESC LIMIT @limit`
  return { sql, params }
}

function path(q: Query, cursor: string | null): string {
  const params = new URLSearchParams()
  if (q.device_id) params.set('device_id', q.device_id)
  if (q.type) params.set('type', q.type)
  params.set('limit', String(q.limit))
  if (cursor) params.set('cursor', cursor)
  return `/api/admin/events?${params}`
}

/**
 * Runs fn `samples` times after a short warm-up, or fewer when `budgetS` runs out first (a slow
 * case must not hold the whole bench; at least 10 samples are taken). Returns the summary of the
 * times fn reports, in ms.
 */
export async function timeRepeatedly(
  fn: () => Promise<number> | number,
  samples: number,
  budgetS: number
): Promise<Summary> {
  const warm = Math.min(10, samples)
  for (let i = 0; i < warm; i++) await fn()
  const times: number[] = []
  const until = performance.now() + budgetS * 1000
  while (times.length < samples && (times.length < 10 || performance.now() < until))
    times.push(await fn())
  return summarise(times)
}

interface CaseResult {
  name: string
  path: string
  page: number
  rows: number
  http: Summary
  sql: Summary
  plan: string
  /** Device + type cases: the same page with the device's index (see repositorySql). */
  sqlDeviceIndex?: Summary
  bytes: number
}

export async function runHistory(ctx: Context): Promise<Record<string, unknown>> {
  const o = ctx.options
  const history = ctx.historyData()
  const oldDevice = history.deviceIds[0]!
  const cases: Array<{ name: string; query: Query; pages: number }> = [
    {
      name: 'first page, device + type',
      query: { device_id: oldDevice, type: 'dose_taken', limit: 50 },
      pages: 1
    },
    {
      name: 'first page, device + type, device added last week',
      query: { device_id: history.newDeviceId, type: 'dose_taken', limit: 50 },
      pages: 1
    },
    {
      name: 'last page, device + type',
      query: { device_id: oldDevice, type: 'dose_taken', limit: 50 },
      pages: 200
    },
    { name: 'deep page, device', query: { device_id: oldDevice, limit: 50 }, pages: 200 },
    { name: 'deep page, type', query: { type: 'dose_taken', limit: 50 }, pages: 200 },
    { name: 'deep page, no filter', query: { limit: 50 }, pages: 200 }
  ]

  let server: RunningServer | undefined
  const db = new Database(history.dbFile, { fileMustExist: true })
  const results: CaseResult[] = []
  let health: Summary
  try {
    server = await startServer({
      name: 'core-history',
      script: serverScript('core.ts'),
      env: {
        BENCH_DEVICE_KEY: DEVICE_KEY,
        BENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        BENCH_DATA_DIR: history.dataDir
      }
    })
    const cookie = await adminCookie(server.port)
    const client = new Client(server.port, { cookie })
    const timed = (fn: () => Promise<number> | number) =>
      timeRepeatedly(fn, o.samples, o.caseBudgetS)
    health = await timed(async () => (await client.get('/api/health')).ms)
    for (const c of cases) {
      // Follow next_cursor through the API, as the dashboard's "load more" does.
      let cursor: string | null = null
      let page = 1
      for (; page < c.pages; page++) {
        const next: string | null = (await client.getJson<EventPage>(path(c.query, cursor))).json
          .next_cursor
        if (!next) break
        cursor = next
      }
      const url = path(c.query, cursor)
      const first = await client.getJson<EventPage>(url)
      const { sql, params } = repositorySql(c.query, cursor)
      const statement = db.prepare(sql)
      const direct = statement.all(params) as Array<{ id: number }>
      // Same rows from both sides, or the two timings are not about the same work.
      const expected = direct.slice(0, c.query.limit).map((r) => r.id)
      const got = first.json.events.map((e) => e.id)
      if (expected.join() !== got.join())
        throw new Error(`history "${c.name}": the API and the SQL returned different rows`)
      const http = await timed(async () => {
        const res = await client.get(url)
        if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
        return res.ms
      })
      const sqlTimes = await timed(() => {
        const t0 = process.hrtime.bigint()
        statement.all(params)
        return Number(process.hrtime.bigint() - t0) / 1e6
      })
      let sqlDeviceIndex: Summary | undefined
      if (c.query.device_id && c.query.type) {
        const alt = repositorySql(c.query, cursor, true)
        const altStatement = db.prepare(alt.sql)
        const altRows = (altStatement.all(alt.params) as Array<{ id: number }>).map((r) => r.id)
        if (altRows.join() !== direct.map((r) => r.id).join())
          throw new Error(`history "${c.name}": the +type variant returned different rows`)
        sqlDeviceIndex = await timed(() => {
          const t0 = process.hrtime.bigint()
          altStatement.all(alt.params)
          return Number(process.hrtime.bigint() - t0) / 1e6
        })
      }
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>
      )
        .map((r) => r.detail)
        .join('; ')
      results.push({
        name: c.name,
        path: url,
        page,
        rows: got.length,
        http,
        sql: sqlTimes,
        plan,
        sqlDeviceIndex,
        bytes: first.bytes
      })
    }
    client.close()
    await server.stop()
    server = undefined
  } finally {
    db.close()
    await server?.stop().catch(() => {})
  }

  ctx.log(
    `\n${fmt(history.events)} events, ${history.devices} devices; ${o.samples} timed requests ` +
      `per case; GET /api/health on the same server: p50 ${ms(health.p50)} ms, p99 ${ms(health.p99)} ms\n` +
      table([
        [
          'case',
          'page',
          'rows',
          'n',
          'HTTP p50',
          'HTTP p99',
          'SQL p50',
          'SQL p99',
          'HTTP/SQL p50',
          'device-index SQL p50'
        ],
        ...results.map((r) => [
          r.name,
          String(r.page),
          String(r.rows),
          String(r.http.n),
          ms(r.http.p50),
          ms(r.http.p99),
          ms(r.sql.p50),
          ms(r.sql.p99),
          `${(r.http.p50 / r.sql.p50).toFixed(1)}×`,
          r.sqlDeviceIndex ? ms(r.sqlDeviceIndex.p50) : ''
        ])
      ]) +
      `\nquery plans (the core's SQL):\n${results.map((r) => `  ${r.name}: ${r.plan}`).join('\n')}` +
      `\ndevice-index SQL: a diagnostic, not what the core runs: the same page with \`+type\`, ` +
      `so SQLite walks the device's index instead of every event of that type`
  )
  for (const r of results) {
    const met = r.http.p99 < HISTORY_TARGET_MS
    const notes: string[] = []
    if (!met && r.http.p90 < HISTORY_TARGET_MS)
      notes.push(
        `p99 over the target but p90 ${ms(r.http.p90)} ms; SQL floor p99 ${ms(r.sql.p99)} ms ` +
          `against its p50 ${ms(r.sql.p50)} ms in the same run: stalls, not the query`
      )
    if (!met && r.http.p90 >= HISTORY_TARGET_MS) notes.push(`plan: ${r.plan}`)
    if (r.sqlDeviceIndex && r.sql.p50 > 10 * r.sqlDeviceIndex.p50)
      notes.push(`with the device's index the SQL takes p50 ${ms(r.sqlDeviceIndex.p50)} ms`)
    ctx.figure({
      step: 'history',
      name: `${r.name} (page ${r.page})`,
      value: `p50 ${ms(r.http.p50)} / p90 ${ms(r.http.p90)} / p99 ${ms(r.http.p99)} ms`,
      baseline: `SQL p50 ${ms(r.sql.p50)} / p99 ${ms(r.sql.p99)} ms; health p50 ${ms(health.p50)} ms`,
      ratio: `${(r.http.p50 / r.sql.p50).toFixed(1)}× SQL`,
      target: `p99 < ${HISTORY_TARGET_MS} ms`,
      met,
      note: notes.length ? notes.join('; ') : undefined
    })
  }
  return { events: history.events, health, cases: results }
}
