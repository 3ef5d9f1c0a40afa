/** Offset of `timeZone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second')
  )
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant local midnight began today in `timeZone`. */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  const offset = zoneOffsetMs(now, timeZone)
  const local = new Date(now.getTime() + offset)
  const midnightLocalAsUtc = Date.UTC(
    local.getUTCFullYear(),
    local.getUTCMonth(),
    local.getUTCDate()
  )
  // Use the offset in force at midnight (it differs on the days the clocks change).
  const guess = midnightLocalAsUtc - offset
  return new Date(midnightLocalAsUtc - zoneOffsetMs(new Date(guess), timeZone))
}

/** Minutes since local midnight in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const local = new Date(at.getTime() + zoneOffsetMs(at, timeZone))
  return local.getUTCHours() * 60 + local.getUTCMinutes()
}

/** Whether `at` falls in a daily local window "22:00"–"07:00" (which may cross midnight). */
export function inDailyWindow(at: Date, timeZone: string, start: string, end: string): boolean {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  const m = localMinutes(at, timeZone)
  const s = toMin(start)
  const e = toMin(end)
  if (s === e) return false
  return s < e ? m >= s && m < e : m >= s || m < e
}
