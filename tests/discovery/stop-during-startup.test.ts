/**
 * The discovery check that found it: SIGTERM 0.8 s after "listening", while the mDNS record was
 * still going up, killed the server outright and the dispensers never heard the goodbye. The
 * built server, SIGTERMed at each moment of its mDNS start-up, must let the start settle, say
 * goodbye, close the database cleanly and exit 0. (The CLI suite covers the other moments.)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inspectDataDir, runHeadless, sigtermWhen } from '../helpers/headless-process'
import { NAMESPACE_PROBLEM, WatchingBrowser, suiteTitle } from './mdns-harness'

describe.skipIf(!!NAMESPACE_PROBLEM)(
  suiteTitle('a stop during start-up still says goodbye (built server, SIGTERM)'),
  { timeout: 120_000 },
  () => {
    let dir: string
    let browser: WatchingBrowser
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pastillero-stop-mdns-'))
      browser = new WatchingBrowser()
    })
    afterEach(async () => {
      await browser.close()
      rmSync(dir, { recursive: true, force: true })
    })

    const moments = [
      // Listening, but the mDNS name is still being probed (about a second).
      ['right after "listening", before the record is up', /listening on 0\.0\.0\.0:\d+/],
      // The record is up, start() has not returned yet.
      ['right after the record is up', /mDNS: advertising "Pastillero"/]
    ] as const

    it.each(moments)('%s', async (_moment, when) => {
      // 0.0.0.0 exists only inside this suite's private namespace.
      const run = await runHeadless(['--port', '0', '--host', '0.0.0.0', '--data-dir', dir], {
        cwd: dir,
        onStdout: sigtermWhen(when)
      })
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const stopAt = run.stdout.indexOf('Stopping (SIGTERM)')
      expect(stopAt).toBeGreaterThan(0)
      // The start was allowed to finish publishing, then the record was withdrawn…
      expect(run.stdout.indexOf('mDNS: "Pastillero" withdrawn')).toBeGreaterThan(stopAt)
      // …and a browser on the network heard the goodbye.
      await browser.up('Pastillero')
      await browser.down('Pastillero')
      const state = inspectDataDir(dir)
      expect(state.integrity).toBe('ok')
      expect(state.leftovers).toEqual([])
      expect(state.partialBackups).toEqual([])
    })
  }
)
