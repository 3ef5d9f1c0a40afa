/**
 * For stages that hold a Map in arrival order: splits off at most `max` of its oldest entries.
 * Returns [taken, left]; when everything is taken, `taken` is the map itself (nothing copied).
 */
export function takeOldest<K, V>(from: Map<K, V>, max: number): [Map<K, V>, Map<K, V>] {
  if (max >= from.size) return [from, new Map()]
  const taken = new Map<K, V>()
  for (const [key, value] of from) {
    if (taken.size >= max) break
    taken.set(key, value)
    from.delete(key)
  }
  return [taken, from]
}
