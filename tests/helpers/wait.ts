/**
 * Waits for a condition instead of sleeping: on a loaded machine (CI runs on the developer's own,
 * rarely idle) a fixed sleep is either too short, and the test fails, or long everywhere.
 */
type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>

export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
  everyMs = 20
): Promise<Truthy<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as Truthy<Awaited<T>>
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
