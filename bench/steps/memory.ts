/**
 * Step `memory`: resident memory (VmRSS from /proc/<pid>/status) of the headless server on the
 * generated history, idle (after start, once RSS stops moving) and during a heartbeat run
 * (paced at 90 % of the per-device limit over the history's devices, sampled every 100 ms),
 * against the floor server under the same
 * treatment, run the same way (plain node for the built server, tsx for the sources), and an
 * idle `node` process. The headless server on an empty data dir is measured idle too.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fleetBodies } from '../lib/bodies'
import { DEFAULT_DEVICE_LIMITS } from '../../src/main/core/device-trust/device-trust'
import { paced, type PacedRun } from '../lib/paced'
import type { Context } from '../lib/context'
import { startHeadless, type Launcher } from '../lib/headless'
import { readMemory, settledRss } from '../lib/proc'
import { floorAsJavaScript, serverScript, startServer } from '../lib/servers'
import { fmt, median, table } from '../lib/stats'

export const IDLE_RSS_TARGET_MB = 100
// What device trust lets each device send, sustained (issue 13's limit).
const HEARTBEATS_PER_DEVICE_PER_S = DEFAULT_DEVICE_LIMITS.heartbeats.perSecond

interface MemoryResult {
  idleMb: number
  idleSettled: boolean
  idleWaitedMs: number
  load?: { peakMb: number; medianMb: number; afterMb: number; run: PacedRun }
}

export async function runMemory(
  ctx: Context,
  launcher: Launcher
): Promise<Record<string, unknown>> {
  const o = ctx.options
  const history = ctx.historyData()
  const bodies = fleetBodies(o.devices)

  const underLoad = async (pid: number, port: number) => {
    const samples: number[] = []
    const sample = () => {
      const m = readMemory(pid)
      if (m) samples.push(m.rssMb)
    }
    // Paced at 90 % of what device trust lets these devices send (issue 13: one heartbeat per
    // second per device, after a burst): at full speed over 200 devices most answers were 429s,
    // the limiter doing its job, and the run measured the refusals instead of the writes.
    const timer = setInterval(sample, 100)
    const run = await paced({
      port,
      path: '/api/devices/heartbeat',
      nextBody: bodies.nextHeartbeat,
      rate: HEARTBEATS_PER_DEVICE_PER_S * 0.9 * bodies.deviceIds.length,
      seconds: o.durationS,
      sockets: o.connections
    }).finally(() => clearInterval(timer))
    sample()
    if (run.failed > 0) ctx.broken.push(`memory: heartbeat run had ${run.failed} failed requests`)
    return {
      peakMb: Math.max(...samples),
      medianMb: median(samples),
      afterMb: samples.at(-1)!,
      run
    }
  }

  const headless = async (dataDir: string, withLoad: boolean): Promise<MemoryResult> => {
    // One start and stop first: the first start of a day backs the database up, and stopping
    // waits for that backup; the measured start then finds today's backup and skips it.
    await (await startHeadless(launcher, dataDir)).stop()
    const server = await startHeadless(launcher, dataDir)
    try {
      const idle = await settledRss(server.pid)
      return {
        idleMb: idle.rssMb,
        idleSettled: idle.settled,
        idleWaitedMs: idle.waitedMs,
        load: withLoad ? await underLoad(server.pid, server.port) : undefined
      }
    } finally {
      await server.stop()
    }
  }

  const floor = async (): Promise<MemoryResult> => {
    const script = launcher.kind === 'built' ? floorAsJavaScript() : serverScript('floor.ts')
    const server = await startServer({ name: 'floor-memory', script })
    try {
      const idle = await settledRss(server.pid)
      return {
        idleMb: idle.rssMb,
        idleSettled: idle.settled,
        idleWaitedMs: idle.waitedMs,
        load: await underLoad(server.pid, server.port)
      }
    } finally {
      await server.stop()
    }
  }

  const bareNode = async (): Promise<MemoryResult> => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore'
    })
    try {
      await new Promise((r) => child.once('spawn', r))
      const idle = await settledRss(child.pid!)
      return { idleMb: idle.rssMb, idleSettled: idle.settled, idleWaitedMs: idle.waitedMs }
    } finally {
      child.kill('SIGTERM')
    }
  }

  ctx.log(
    `headless: ${launcher.note}; floor: ${launcher.kind === 'built' ? 'plain node' : 'tsx'}; ` +
      `heartbeats ${o.durationS} s at full speed over ${o.connections} connections`
  )
  const emptyParent = mkdtempSync(join(tmpdir(), 'pastillero-bench-empty-'))
  let results: Record<string, MemoryResult>
  try {
    results = {
      history: await headless(history.dataDir, true),
      empty: await headless(join(emptyParent, 'data'), false),
      floor: await floor(),
      node: await bareNode()
    }
  } finally {
    rmSync(emptyParent, { recursive: true, force: true })
  }
  const labels: Record<string, string> = {
    history: `headless, ${fmt(history.events)} events`,
    empty: 'headless, empty data dir',
    floor: 'floor (Express + 1 upsert)',
    node: 'node, idle, nothing loaded'
  }
  ctx.log(
    '\n' +
      table([
        ['RSS MB', 'idle', 'settled', 'load median', 'load peak', 'after load', 'hb req/s'],
        ...Object.entries(results).map(([k, r]) => [
          labels[k]!,
          fmt(r.idleMb, 1),
          r.idleSettled ? `${fmt(r.idleWaitedMs / 1000, 1)} s` : 'no',
          fmt(r.load?.medianMb ?? NaN, 1),
          fmt(r.load?.peakMb ?? NaN, 1),
          fmt(r.load?.afterMb ?? NaN, 1),
          fmt(r.load?.run.requestsPerSecond ?? NaN)
        ])
      ])
  )
  const h = results.history!
  const f = results.floor!
  const met = h.idleMb < IDLE_RSS_TARGET_MB
  ctx.figure({
    step: 'memory',
    name: `idle RSS, headless, ${fmt(history.events)} events (${launcher.kind})`,
    value: `${fmt(h.idleMb, 1)} MB`,
    baseline: `floor ${fmt(f.idleMb, 1)} MB; empty dir ${fmt(results.empty!.idleMb, 1)} MB; bare node ${fmt(results.node!.idleMb, 1)} MB`,
    ratio: `${(h.idleMb / f.idleMb).toFixed(2)}× floor`,
    target: `< ${IDLE_RSS_TARGET_MB} MB`,
    met
  })
  ctx.figure({
    step: 'memory',
    name: 'RSS during the heartbeat run (peak)',
    value: `${fmt(h.load!.peakMb, 1)} MB (median ${fmt(h.load!.medianMb, 1)})`,
    baseline: `floor ${fmt(f.load!.peakMb, 1)} MB (median ${fmt(f.load!.medianMb, 1)})`,
    ratio: `${(h.load!.peakMb / f.load!.peakMb).toFixed(2)}× floor`,
    target: '–'
  })
  return { launcher, results }
}
