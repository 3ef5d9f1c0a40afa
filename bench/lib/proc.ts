/**
 * Child processes: resident memory from /proc, and a registry of everything the bench started so
 * Ctrl-C (or a broken step) stops them all.
 */
import { readFileSync } from 'node:fs'

export interface Memory {
  /** Resident set size now, and its peak since the process started (VmHWM), in MB (2^20 bytes). */
  rssMb: number
  hwmMb: number
}

/** VmRSS and VmHWM of a process, or undefined if it is gone (or this is not Linux). */
export function readMemory(pid: number): Memory | undefined {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  const rss = kb('VmRSS')
  if (!Number.isFinite(rss)) return undefined
  return { rssMb: rss / 1024, hwmMb: kb('VmHWM') / 1024 }
}

export interface RssSampler {
  samples: number[]
  stop(): number[]
}

/** Reads VmRSS every `everyMs` until stopped; returns the samples in MB. */
export function sampleRss(pid: number, everyMs = 100): RssSampler {
  const samples: number[] = []
  const take = () => {
    const m = readMemory(pid)
    if (m) samples.push(m.rssMb)
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    samples,
    stop() {
      clearInterval(timer)
      take()
      return samples
    }
  }
}

/**
 * Waits until the RSS stops moving: `window` consecutive samples `everyMs` apart within `toleranceMb`
 * of each other, or `maxMs` passed. Returns the last sample and how long it took.
 */
export async function settledRss(
  pid: number,
  { everyMs = 250, window = 8, toleranceMb = 1, maxMs = 15_000 } = {}
): Promise<{ rssMb: number; waitedMs: number; settled: boolean }> {
  const started = performance.now()
  const recent: number[] = []
  for (;;) {
    const m = readMemory(pid)
    if (!m) throw new Error(`process ${pid} went away while its memory was being read`)
    recent.push(m.rssMb)
    if (recent.length > window) recent.shift()
    const waitedMs = performance.now() - started
    const stable =
      recent.length === window && Math.max(...recent) - Math.min(...recent) <= toleranceMb
    if (stable || waitedMs >= maxMs) return { rssMb: m.rssMb, waitedMs, settled: stable }
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

const cleanups = new Set<() => Promise<unknown> | unknown>()

/** Registers something to undo if the bench is interrupted; call the returned function once done. */
export function onInterrupt(cleanup: () => Promise<unknown> | unknown): () => void {
  cleanups.add(cleanup)
  return () => cleanups.delete(cleanup)
}

export async function cleanUpAll(): Promise<void> {
  const pending = [...cleanups]
  cleanups.clear()
  await Promise.allSettled(pending.map(async (c) => c()))
}
