/**
 * What every step gets: the options, the shared generated history (made once per run, on first
 * use), the headless launcher, and the figures each step reports for the summary.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LauncherChoice } from './headless'
import { generateHistory, type HistoryInfo } from './history-db'
import { fmt } from './stats'

export const STEPS = [
  'device',
  'heartbeat',
  'ota',
  'history',
  'firstload',
  'coldstart',
  'memory'
] as const
export type StepName = (typeof STEPS)[number]

export interface Options {
  only: StepName[]
  quick: boolean
  durationS: number
  warmupS: number
  connections: number
  rounds: number
  devices: number
  cpuProf: boolean
  synchronous: 'FULL' | 'OFF'
  /** Generated history: events over `historyDays` days, for the steps that need a big database. */
  events: number
  historyDays: number
  /** Timed requests per measured case (history, first load), within caseBudgetS seconds each. */
  samples: number
  caseBudgetS: number
  /** Cold starts per variant. */
  starts: number
  otaDownloads: number
  otaImageBytes: number
  /** Per-download speed limit in kB/s; 0 = unthrottled (loopback speed, the worst case). */
  otaKbps: number
  /** Heartbeats per second during the OTA step (a fixed rate: latency, not throughput). */
  otaRate: number
  headless: LauncherChoice
  keepDb: boolean
  /** Connections for the device step's closed-loop runs (issue 12 measured with 64). */
  deviceConnections: number
  /** New device ids for the device step's first-sight run, at 3,333/s. */
  firstSight: number
}

/** One line of the summary: a figure, its baseline measured in the same run, and the target. */
export interface Figure {
  step: StepName
  name: string
  value: string
  baseline: string
  ratio: string
  target: string
  /** true / false when there is a target; undefined when the figure is only reported. */
  met?: boolean
  note?: string
}

export class Context {
  readonly figures: Figure[] = []
  readonly broken: string[] = []
  private history?: HistoryInfo
  private historyDir?: string

  constructor(readonly options: Options) {}

  figure(f: Figure): void {
    this.figures.push(f)
  }

  log(message: string): void {
    process.stdout.write(`${message}\n`)
  }

  /** The data dir with the generated database (devices × events over ~2 years), made on first use. */
  historyData(): HistoryInfo {
    if (this.history) return this.history
    const { events, devices, historyDays } = this.options
    this.historyDir = mkdtempSync(join(tmpdir(), 'pastillero-bench-history-'))
    this.log(
      `generating ${fmt(events)} events for ${devices} devices over ${historyDays} days ` +
        `in ${this.historyDir}…`
    )
    this.history = generateHistory(join(this.historyDir, 'data'), {
      events,
      devices,
      days: historyDays
    })
    const h = this.history
    this.log(
      `generated in ${fmt(h.generateMs / 1000, 1)} s (rows ${fmt(h.insertMs / 1000, 1)} s, ` +
        `indexes ${fmt(h.indexMs / 1000, 1)} s), ${fmt(h.bytes / 2 ** 20)} MB`
    )
    return h
  }

  historyGenerated(): HistoryInfo | undefined {
    return this.history
  }

  removeHistory(): void {
    if (this.historyDir && !this.options.keepDb)
      rmSync(this.historyDir, { recursive: true, force: true })
    else if (this.historyDir) this.log(`kept the generated data dir: ${this.historyDir}`)
  }
}

export const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')
