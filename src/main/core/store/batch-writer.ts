// Long (~380 lines) because the writer's guarantees (acknowledged only after the fsync, soft
// state at most ~1 s late, checkpoints only between batches) live in one small state machine
// whose parts only make sense together; the checkpointer's thread is in checkpointer.ts.
import { closeSync, fsync, openSync } from 'node:fs'
import type { Statement } from 'better-sqlite3'
import type { Logger } from '../lib/logger'
import { Checkpointer, type CheckpointResult } from './checkpointer'
import type { Db } from './db'

// After the log restarts, the first commit truncates the WAL file to this size: a burst's WAL
// does not keep its disk space for good.
const WAL_SIZE_LIMIT = 32 * 2 ** 20

// The most rows of soft state one timer-driven batch writes. A second of heartbeats from a large
// fleet (3,333 devices at 100,000 dispensers) written in one transaction held the event loop for
// 100–170 ms; in slices of this size each transaction takes a few milliseconds, and requests are
// served between them.
export const SOFT_SLICE_ROWS = 256

/** What the device path writes: a unit of work run inside a batch transaction. */
interface Job {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
  value?: unknown
  error?: unknown
  failed?: boolean
}

export interface BatchInfo {
  /** 1, 2, 3…: the batch's sequence number. */
  batch: number
  /** Durable writes (events, command hand-outs) it carried. */
  jobs: number
  /** Whether it also wrote the soft state (coalesced heartbeats, presence). */
  soft: boolean
  /** How many rows of soft state it wrote (set after the commit). */
  softRows: number
}

export interface BatchWriterHooks {
  /** After the batch's transaction committed, before its fsync was asked for. */
  afterCommit?: (info: BatchInfo) => void
  /**
   * After the batch is on disk and before any of its callers is answered. A returned promise
   * holds the answers back until it settles: tests use it to prove the acknowledgement order.
   */
  afterDurable?: (info: BatchInfo) => void | Promise<void>
  /** When a checkpoint between two batches is asked of the checkpointer's thread. */
  beforeCheckpoint?: () => void
  /** After a checkpoint between two batches, with SQLite's count of WAL frames then. */
  afterCheckpoint?: (result: CheckpointResult) => void
}

/**
 * Soft state held in memory by its owner and written in batches. `write(max)` runs inside the
 * batch transaction and writes at most `max` rows, the oldest held first (Infinity: all of
 * them); `settle(true)` follows its commit, `settle(false)` its rollback (then the owner keeps
 * what it took, to write it with the next batch).
 */
export interface SoftStage {
  /** How many rows are held (commitSoftNow() skips the transaction when none are). */
  held(): number
  /** Writes at most `max` held rows; returns how many it wrote. */
  write(max: number): number
  settle(committed: boolean): void
}

export interface BatchWriterOptions {
  db: Db
  log?: Logger
  /** How often the soft state (coalesced heartbeats, presence) is written: at most this late. */
  softEveryMs?: number
  /**
   * How often the checkpointer copies the WAL into the database file, in its own thread (the
   * batches pause meanwhile, so the log can restart).
   */
  checkpointEveryMs?: number
  /** Off in tests that want no extra thread; then SQLite checkpoints on the main connection. */
  checkpointer?: boolean
}

/**
 * The device path's writer: group commit on the main connection, with the disk flush off the
 * event loop.
 *
 * - Durable work (an event) is queued with `submit()`. Everything queued while the previous
 *   batch was being flushed runs in ONE transaction, and each caller's promise resolves only
 *   after that transaction is on disk: one fsync for the whole batch.
 * - The batch commits with `synchronous=OFF`: in WAL mode SQLite then only write()s the frames
 *   (a copy into the page cache, microseconds) and does not fsync, not even the WAL header when
 *   it restarts the log (NORMAL still syncs that header on the committing thread). That is safe
 *   here because nothing is acknowledged before our own fsync of the whole file, and this
 *   connection never checkpoints during a batch (the checkpointer's own connection syncs the WAL
 *   before copying it and the database file before the log may restart). The fsync of the WAL
 *   file is then asked of libuv's thread pool (`fs.fsync` on our own descriptor of the -wal
 *   file; fsync flushes the file, whichever descriptor wrote it). Only when it returns are the
 *   batch's callers answered. The event loop never waits for the disk.
 * - Soft state (the latest heartbeat of each device, presence) is written by "stages" that the
 *   owners register; they run inside every durable batch and at least every `softEveryMs`, or
 *   at once through `commitSoftNow()` (before admin reads, a backup or an export) and on close.
 * - Automatic checkpoints are off on this connection (they fsync twice); a worker thread with
 *   its own connection runs a passive checkpoint every `checkpointEveryMs`, between two batches
 *   (store/checkpointer.ts says why the batches wait for it).
 *
 * Other writers on the same connection (the dashboard's admin writes, alerts) are untouched:
 * the connection stays `synchronous=FULL` outside the batches.
 */
export class BatchWriter {
  readonly hooks: BatchWriterHooks = {}
  /** Counters for the bench and the tests. */
  readonly stats = {
    batches: 0,
    jobs: 0,
    fsyncs: 0,
    softCommits: 0,
    failedBatches: 0,
    checkpoints: 0,
    /** WAL frames after the last checkpoint, and the most seen (a growing WAL shows here). */
    walFrames: 0,
    maxWalFrames: 0,
    /** The longest a batch's transaction held the event loop (ms), and the rows of soft state. */
    longestCommitMs: 0
  }

  private readonly db: Db
  private readonly log?: Logger
  private queue: Job[] = []
  private readonly stages: SoftStage[] = []
  private running = false
  private scheduled = false
  private softDue = false
  /** Rows the current timer-driven soft write still has to write, slice by slice. */
  private softBacklog = 0
  /** The next soft write takes everything held in one transaction (flush, close). */
  private softAll = false
  private checkpointDue = false
  /** Something was committed without a sync since the last fsync was asked for. */
  private unsynced = false
  private closed = false
  private idleWaiters: Array<() => void> = []
  private readonly softTimer: NodeJS.Timeout
  private checkpointTimer?: NodeJS.Timeout
  private readonly walFd: number | undefined
  private readonly unsyncedCommits: () => void
  private readonly full: () => void
  private readonly batchTransaction: (jobs: Job[], softRows: number, alone: boolean) => number
  private readonly savepoint: Statement
  private readonly release: Statement
  private readonly rollbackTo: Statement
  private checkpointer?: Checkpointer

  constructor(options: BatchWriterOptions) {
    const { db } = options
    this.db = db
    this.log = options.log
    this.batchTransaction = db.transaction((jobs: Job[], softRows: number, alone: boolean) =>
      this.batchBody(jobs, softRows, alone)
    )
    this.savepoint = db.prepare('SAVEPOINT batch_job')
    this.release = db.prepare('RELEASE batch_job')
    this.rollbackTo = db.prepare('ROLLBACK TO batch_job')
    const off = db.prepare('PRAGMA synchronous = OFF')
    const full = db.prepare('PRAGMA synchronous = FULL')
    this.unsyncedCommits = () => off.run()
    this.full = () => full.run()
    const wal = (db.pragma('journal_mode', { simple: true }) as string) === 'wal'
    // Our own descriptor of the WAL file (it exists from the connection's first read in WAL
    // mode). Without WAL (an in-memory test database), batches simply commit with FULL.
    if (wal && !db.memory) {
      try {
        this.walFd = openSync(`${db.name}-wal`, 'r+')
      } catch (err) {
        this.log?.warn('WAL file not found; batches commit with synchronous=FULL', {
          err: String(err)
        })
      }
    }
    if (this.walFd !== undefined && options.checkpointer !== false)
      this.startCheckpointer(options.checkpointEveryMs ?? 1000)
    if (this.walFd !== undefined) db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`)
    this.softTimer = setInterval(() => this.writeSoftSoon(), options.softEveryMs ?? 1000)
    this.softTimer.unref()
  }

  /** Registers soft-state writes, run inside a batch transaction (at most `softEveryMs` late). */
  addStage(stage: SoftStage): void {
    this.stages.push(stage)
  }

  /**
   * Runs `work` inside the next batch transaction; resolves with its result once that batch is
   * on disk, or rejects with its error (the rest of the batch still commits: each job runs in
   * its own savepoint).
   */
  submit<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the writer is closed'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      this.kick()
    })
  }

  /**
   * The timer's work (every `softEveryMs`): writes what soft state is held now, in slices of at
   * most SOFT_SLICE_ROWS rows, each its own transaction, with the event loop free between them.
   */
  writeSoftSoon(): void {
    this.softDue = true
    this.kick()
  }

  /**
   * Writes the soft state now, synchronously (no disk wait: the fsync follows in the
   * background). For readers that need every device row up to date: lists, backups, exports.
   */
  commitSoftNow(): void {
    if (this.closed || !this.holdsSoft()) return
    this.commit([], Infinity)
    this.softBacklog = 0
    this.kick()
  }

  /** Resolves when everything submitted or held so far is committed and on disk. */
  async flush(): Promise<void> {
    this.softDue = true
    this.softAll = true
    this.kick()
    await this.idle()
  }

  /** Flushes everything, then stops the checkpointer and closes the WAL descriptor. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.flush()
    this.closed = true
    clearInterval(this.softTimer)
    clearInterval(this.checkpointTimer)
    const checkpointer = this.checkpointer
    this.checkpointer = undefined
    await checkpointer?.close()
    if (this.walFd !== undefined) closeSync(this.walFd)
  }

  /** Durable writes waiting for the next batch (tests wait on it instead of on time). */
  get queued(): number {
    return this.queue.length
  }

  /** Asks for a checkpoint between the next two batches (the bench and tests use it). */
  checkpoint(): void {
    if (!this.checkpointer) return
    this.checkpointDue = true
    this.kick()
  }

  private idle(): Promise<void> {
    if (
      !this.running &&
      !this.scheduled &&
      this.queue.length === 0 &&
      !this.softDue &&
      !this.checkpointDue
    )
      return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private kick(): void {
    if (this.running || this.scheduled) return
    this.scheduled = true
    // setImmediate: every request already parsed in this turn of the loop joins the batch.
    setImmediate(() => this.run())
  }

  private run(): void {
    this.scheduled = false
    if (this.running) return
    if (this.checkpointDue && this.checkpointer?.running) {
      this.runCheckpoint(this.checkpointer)
      return
    }
    this.checkpointDue = false
    const jobs = this.queue
    // A durable batch carries ALL the soft state along: a heartbeat answered before an event
    // that is acknowledged is on disk with it, and the ~1 s bound applies only to heartbeats
    // since. A timer-driven write alone goes in slices (SOFT_SLICE_ROWS), over the rows held
    // when it began, so the event loop is never held for long; the next slice follows at once.
    const soft = (this.softDue || jobs.length > 0) && this.holdsSoft()
    if (jobs.length === 0 && !soft && !this.unsynced) {
      for (const resolve of this.idleWaiters.splice(0)) resolve()
      return
    }
    let max = Infinity
    if (jobs.length === 0 && soft && !this.softAll) {
      if (this.softBacklog === 0) this.softBacklog = this.heldSoft()
      max = Math.min(SOFT_SLICE_ROWS, this.softBacklog)
    }
    this.queue = []
    this.softDue = false
    this.softAll = false
    this.running = true
    const info: BatchInfo = { batch: this.stats.batches + 1, jobs: jobs.length, soft, softRows: 0 }
    try {
      if (jobs.length > 0 || soft) {
        const began = performance.now()
        const written = this.commit(jobs, soft ? max : 0)
        info.softRows = written
        if (max === Infinity) this.softBacklog = 0
        else {
          // Rows taken meanwhile by a durable batch count as written too.
          this.softBacklog = Math.min(Math.max(0, this.softBacklog - written), this.heldSoft())
          if (this.softBacklog > 0) this.softDue = true
        }
        const took = performance.now() - began
        if (took > this.stats.longestCommitMs) this.stats.longestCommitMs = took
        this.stats.batches++
        this.stats.jobs += jobs.length
        this.hooks.afterCommit?.(info)
      }
    } catch (err) {
      // The transaction itself failed (disk full, I/O error): nothing of it was stored.
      this.stats.failedBatches++
      this.log?.error('batch write failed', { err: String(err), jobs: jobs.length })
      for (const job of jobs) job.reject(err)
      this.finish()
      return
    }
    this.sync((err) => {
      const answer = () => {
        for (const job of jobs) {
          if (err) job.reject(err)
          else if (job.failed) job.reject(job.error)
          else job.resolve(job.value)
        }
        this.finish()
      }
      if (err) {
        this.log?.error('fsync of the WAL failed', { err: String(err) })
        answer()
        return
      }
      const held = this.hooks.afterDurable?.(info)
      if (held) held.then(answer, answer)
      else answer()
    })
  }

  /**
   * A passive checkpoint in the worker while no batch commits: when it copies every frame, the
   * next batch's transaction restarts the log from its beginning. Requests arriving meanwhile
   * queue up and join the next batch (the event loop is free all along).
   */
  private runCheckpoint(checkpointer: Checkpointer): void {
    this.checkpointDue = false
    this.running = true
    this.hooks.beforeCheckpoint?.()
    checkpointer.run((result) => {
      if (result) {
        this.stats.checkpoints++
        this.stats.walFrames = result.log
        this.stats.maxWalFrames = Math.max(this.stats.maxWalFrames, result.log)
        this.hooks.afterCheckpoint?.(result)
      }
      this.finish()
    })
  }

  private finish(): void {
    this.running = false
    if (this.queue.length > 0 || this.softDue || this.unsynced || this.checkpointDue) this.kick()
    else for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  private holdsSoft(): boolean {
    return this.stages.some((stage) => stage.held() > 0)
  }

  private heldSoft(): number {
    let rows = 0
    for (const stage of this.stages) rows += stage.held()
    return rows
  }

  /**
   * One transaction: at most `softRows` rows of soft state first (0: none), then each job in
   * its own savepoint. Returns the soft rows written.
   */
  private commit(jobs: Job[], softRows: number): number {
    const durableLater = this.walFd !== undefined
    const soft = softRows > 0
    // A lone job needs no savepoint: its error rolls back a transaction holding only itself.
    const alone = jobs.length === 1 && !soft
    let committed = false
    let written = 0
    if (durableLater) this.unsyncedCommits()
    try {
      written = this.batchTransaction(jobs, softRows, alone)
      committed = true
    } catch (err) {
      if (!alone) throw err
      // The lone job's own error (not the disk's): its caller gets it, like any other job's.
      jobs[0]!.failed = true
      jobs[0]!.error = err
    } finally {
      if (soft) for (const stage of this.stages) stage.settle(committed)
      if (durableLater) {
        this.full()
        this.unsynced = true
      }
    }
    if (soft && committed) this.stats.softCommits++
    return committed ? written : 0
  }

  /** The body of a batch's transaction (wrapped once, in the constructor). */
  private batchBody(jobs: Job[], softRows: number, alone: boolean): number {
    let written = 0
    for (const stage of this.stages)
      if (written < softRows) written += stage.write(softRows - written)
    if (alone) {
      jobs[0]!.value = jobs[0]!.work()
      return written
    }
    for (const job of jobs) {
      // Each job in its own savepoint, with statements prepared once (better-sqlite3's nested
      // transaction() would build a wrapper per job).
      this.savepoint.run()
      try {
        job.value = job.work()
        this.release.run()
      } catch (err) {
        // An error that ended the whole transaction (disk full, I/O) fails the batch.
        if (!this.db.inTransaction) throw err
        this.rollbackTo.run()
        this.release.run()
        job.failed = true
        job.error = err
      }
    }
    return written
  }

  /** The fsync of the WAL, in libuv's thread pool. */
  private sync(done: (err: NodeJS.ErrnoException | null) => void): void {
    if (this.walFd === undefined || !this.unsynced) {
      setImmediate(() => done(null))
      return
    }
    this.unsynced = false
    this.stats.fsyncs++
    fsync(this.walFd, done)
  }

  private startCheckpointer(everyMs: number): void {
    const checkpointer = new Checkpointer(
      this.db.name,
      () => {
        // Without it, SQLite's own automatic checkpoints come back (on this thread).
        clearInterval(this.checkpointTimer)
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000')
      },
      this.log
    )
    if (!checkpointer.running) return
    this.db.pragma('wal_autocheckpoint = 0')
    this.checkpointer = checkpointer
    this.checkpointTimer = setInterval(() => {
      this.checkpointDue = true
      this.kick()
    }, everyMs)
    this.checkpointTimer.unref()
  }
}
