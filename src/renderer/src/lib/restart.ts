/**
 * After a restore or import the server stops and starts again with the new data. Waits a moment,
 * then for /api/health to answer again (or a minute at most), then reloads the page so every
 * view starts from the new data.
 */
export async function reloadWhenServerIsBack(
  options: {
    firstDelayMs?: number
    pollMs?: number
    giveUpMs?: number
    reload?: () => void
  } = {}
): Promise<void> {
  const { firstDelayMs = 3000, pollMs = 1000, giveUpMs = 60_000 } = options
  const reload = options.reload ?? (() => window.location.reload())
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const deadline = Date.now() + giveUpMs
  await sleep(firstDelayMs)
  while (Date.now() < deadline) {
    try {
      const res = await fetch('/api/health', { cache: 'no-store' })
      if (res.ok) break
    } catch {
      // still restarting
    }
    await sleep(pollMs)
  }
  reload()
}
