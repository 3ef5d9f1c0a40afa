import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../lib/logger'

/** What one passive checkpoint found (SQLite's `wal_checkpoint` row). */
export interface CheckpointResult {
  /** 1 when it could not run at all (another checkpoint held its lock). */
  busy: number
  /** Frames in the WAL. */
  log: number
  /** Frames copied into the database file so far; equal to `log` when it caught up. */
  checkpointed: number
}

/**
 * SQLite's checkpoints, in a worker thread with its own connection: PASSIVE never waits for
 * readers or writers, and its fsyncs (the WAL before copying, the database file after) happen
 * off the event loop.
 *
 * The checkpointer only runs when asked (`run`): the batch writer asks between two batches and
 * holds the next batch until the answer. That pause is what lets the WAL restart: SQLite rewinds
 * the log only when a write transaction starts after a checkpoint that copied every frame, and
 * with batches committing back to back a checkpoint on its own timer never catches up (the WAL
 * reached 460 MB after 40,000 bench events).
 */
export class Checkpointer {
  private worker?: Worker
  private waiting: Array<(result: CheckpointResult | undefined) => void> = []

  constructor(
    file: string,
    private readonly onFailure: (err: unknown) => void,
    log?: Logger
  ) {
    try {
      const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
      const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { sqlite, file } })
      worker.unref()
      worker.on('message', (result: CheckpointResult | undefined) => this.waiting.shift()?.(result))
      worker.on('error', (err) => {
        this.worker = undefined
        this.answerAll()
        log?.warn('checkpointer stopped; checkpoints back on the main connection', {
          err: String(err)
        })
        this.onFailure(err)
      })
      worker.on('exit', () => {
        this.worker = undefined
        this.answerAll()
      })
      this.worker = worker
    } catch (err) {
      log?.warn('no checkpointer thread; checkpoints stay on the main connection', {
        err: String(err)
      })
    }
  }

  get running(): boolean {
    return this.worker !== undefined
  }

  /** One passive checkpoint; `done` gets its result (undefined if it could not run). */
  run(done: (result: CheckpointResult | undefined) => void): void {
    if (!this.worker) {
      setImmediate(() => done(undefined))
      return
    }
    this.waiting.push(done)
    this.worker.postMessage('checkpoint')
  }

  /** A last checkpoint, then the worker closes its connection and exits. */
  async close(): Promise<void> {
    const worker = this.worker
    if (!worker) return
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.ref() // keeps the process alive until it has closed its connection
    worker.postMessage('close')
    await exited
  }

  private answerAll(): void {
    for (const done of this.waiting.splice(0)) done(undefined)
  }
}

// The worker: its connection keeps SQLite's default synchronous=FULL, so the WAL is synced before
// frames are copied and the database file before the log may restart.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlite)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 0')
const step = () => {
  try { return db.pragma('wal_checkpoint(PASSIVE)')[0] } catch { return undefined /* busy */ }
}
parentPort.on('message', (m) => {
  if (m === 'checkpoint') parentPort.postMessage(step())
  else if (m === 'close') { step(); db.close(); parentPort.close() }
})
`
