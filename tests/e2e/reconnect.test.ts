import { describe, expect, test } from 'vitest'
import { startTestCore } from '../helpers/test-core'
import { SimDevice, useE2E } from './helpers'

const e2e = useE2E()

describe('live stream', () => {
  test('survives a server restart and refetches what happened while it was away', async () => {
    await new SimDevice(e2e.core, 'AA:00:00:00:00:31', { name: 'Pastillero Antes' }).heartbeat()
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/devices')
    await page.getByRole('article', { name: 'Pastillero Antes' }).waitFor()
    await page.getByRole('status').filter({ hasText: 'En vivo' }).waitFor()

    const { port } = e2e.core.info
    // While the server is down, the browser's own reconnect attempts may be refused: that is the
    // point of this test, not an app error (seen on a loaded machine, where the gap is longer).
    harness.allowConsoleError(/ERR_CONNECTION_REFUSED/)
    await e2e.core.stop()
    await page.getByText('Se perdió la conexión en vivo').waitFor()
    await page.getByRole('status').filter({ hasText: 'Reconectando…' }).waitFor()

    // Same data, same port: the session cookie is still valid.
    e2e.core = await startTestCore({
      presenceSweepMs: 500,
      dataDir: e2e.core.dataDir,
      flags: { port }
    })
    // Announced before the browser is back on the stream: only the refetch can show it.
    await new SimDevice(e2e.core, 'AA:00:00:00:00:32', { name: 'Pastillero Durante' }).heartbeat()
    await page.getByRole('article', { name: 'Pastillero Durante' }).waitFor({ timeout: 15_000 })
    await page.getByRole('status').filter({ hasText: 'En vivo' }).waitFor()
    expect(await page.getByText('Se perdió la conexión en vivo').count()).toBe(0)

    // And the stream is live again.
    await new SimDevice(e2e.core, 'AA:00:00:00:00:33', { name: 'Pastillero Después' }).heartbeat()
    await page.getByRole('article', { name: 'Pastillero Después' }).waitFor()
  })
})
