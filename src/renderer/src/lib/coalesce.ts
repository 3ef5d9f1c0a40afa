/**
 * Wraps a refetch so that overlapping calls share one request, and a call made while one is in
 * flight runs it once more afterwards (its answer could predate the change that asked for it).
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined
  let again = false
  return function refresh(): Promise<void> {
    if (inFlight) {
      again = true
      return inFlight
    }
    inFlight = (async () => {
      try {
        do {
          again = false
          await run()
        } while (again)
      } finally {
        inFlight = undefined
      }
    })()
    return inFlight
  }
}
