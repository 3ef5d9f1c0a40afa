/**
 * Step `coldstart`: spawn the headless server and time it to its "Dashboard: http://…" line, on
 * the generated history (1,000,000 events) and on an empty data dir, against `node -e ''`
 * (Node's own start-up, to exit) in the same run. Each data dir gets one untimed start first:
 * it creates the empty dir's schema, and the first start of a day also begins a full backup
 * (the server's daily backup; stopping waits for it). Variants are interleaved.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { summariseProfile } from '../profile'
import type { Context } from '../lib/context'
import { nodeBaselineMs, startHeadless, type Launcher } from '../lib/headless'
import { RESULTS_DIR } from '../lib/paths'
import { fmt, median, ms, summarise, table } from '../lib/stats'

export const COLD_START_TARGET_MS = 1000

export async function runColdStart(
  ctx: Context,
  launcher: Launcher
): Promise<Record<string, unknown>> {
  const o = ctx.options
  const history = ctx.historyData()
  const emptyParent = mkdtempSync(join(tmpdir(), 'pastillero-bench-empty-'))
  const emptyDir = join(emptyParent, 'data')
  const times = { node: [] as number[], empty: [] as number[], history: [] as number[] }
  const once = async (dataDir: string) => {
    const server = await startHeadless(launcher, dataDir)
    const code = await server.stop()
    if (code !== 0) throw new Error(`headless exited with ${code} when stopped`)
    return server.readyMs
  }
  let warmHistoryMs: number
  try {
    ctx.log(`headless: ${launcher.note}; ${o.starts} starts per variant after one untimed each`)
    await nodeBaselineMs()
    const warmEmptyMs = await once(emptyDir)
    warmHistoryMs = await once(history.dataDir)
    ctx.log(
      `untimed first starts: empty dir ${ms(warmEmptyMs)} ms (creates it), ` +
        `${fmt(history.events)} events ${ms(warmHistoryMs)} ms`
    )
    for (let i = 0; i < o.starts; i++) {
      times.node.push(await nodeBaselineMs())
      times.empty.push(await once(emptyDir))
      times.history.push(await once(history.dataDir))
    }
    if (o.cpuProf) {
      const dir = join(RESULTS_DIR, 'profiles', 'headless-start')
      const server = await startHeadless(launcher, history.dataDir, { cpuProfDir: dir })
      await server.stop()
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
      ctx.log(`\n${summariseProfile(file ? join(dir, file) : dir, 'headless start-up to stop')}`)
    }
  } finally {
    rmSync(emptyParent, { recursive: true, force: true })
  }
  const s = {
    node: summarise(times.node),
    empty: summarise(times.empty),
    history: summarise(times.history)
  }
  const med = {
    node: median(times.node),
    empty: median(times.empty),
    history: median(times.history)
  }
  const row = (name: string, xs: number[]) => [
    name,
    ms(median(xs)),
    ms(Math.min(...xs)),
    ms(Math.max(...xs)),
    xs.map((x) => fmt(x)).join(' ')
  ]
  ctx.log(
    `\n` +
      table([
        ['spawn → "Dashboard:" line', 'median ms', 'min', 'max', 'all (ms)'],
        row(`headless, ${fmt(history.events)} events`, times.history),
        row('headless, empty data dir', times.empty),
        row("node -e '' (to exit)", times.node)
      ])
  )
  const met = med.history < COLD_START_TARGET_MS
  ctx.figure({
    step: 'coldstart',
    name: `cold start to listening, ${fmt(history.events)} events (${launcher.kind})`,
    value: `median ${ms(med.history)} ms (max ${ms(s.history.max)})`,
    baseline: `empty dir ${ms(med.empty)} ms; node -e '' ${ms(med.node)} ms`,
    ratio: `${(med.history / med.empty).toFixed(2)}× empty`,
    target: `< ${COLD_START_TARGET_MS} ms`,
    met,
    note: launcher.note
  })
  return { launcher, firstStartWithHistoryMs: warmHistoryMs, times, summary: s }
}
