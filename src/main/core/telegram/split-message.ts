/** Telegram refuses a message longer than this (400 "message is too long"). */
export const TELEGRAM_MAX_CHARS = 4096

/**
 * Splits a long answer into messages Telegram accepts, at line breaks so no line of /estado or
 * /hoy is cut in two (a single line longer than the limit is cut where it must be). Lengths are
 * JS string lengths (UTF-16 units), which is what Telegram counts too.
 */
export function splitMessage(text: string, max = TELEGRAM_MAX_CHARS): string[] {
  const parts: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line
    if (candidate.length <= max) {
      current = candidate
      continue
    }
    if (current) parts.push(current)
    let rest = line
    while (rest.length > max) {
      parts.push(rest.slice(0, max))
      rest = rest.slice(max)
    }
    current = rest
  }
  if (current || parts.length === 0) parts.push(current)
  return parts
}
