import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// The layering docs/architecture.md describes, checked on the source: services speak domain
// errors (not HTTP), repositories touch only their own feature's tables, shared rules stay
// zod-free so the renderer can import them.
const CORE = join(__dirname, '../../src/main/core')
const SHARED = join(__dirname, '../../src/shared')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

// Who owns which table (migrations create them; a repository may name only its own, plus
// `devices` in a foreign-key guard, which the entries below allow where it is used).
const OWN_TABLES: Record<string, RegExp> = {
  'alerts/alert-repository.ts': /^alerts$/,
  'telegram/telegram-repository.ts': /^(outbox|telegram_recipients|accounts)$/,
  'firmware/firmware-repository.ts': /^(firmware|firmware_targets|ota_state|ota_blocked)$/,
  'schedules/schedule-repository.ts':
    /^(schedule_versions|schedule_alarms|schedule_alarm_ids|device_presence|time_zone_history|devices)$/
}

describe('feature boundaries', () => {
  it('no service imports http/errors: services throw domain errors', () => {
    const offenders = files(CORE)
      .filter((f) => f.endsWith('-service.ts') || f.endsWith('device-trust.ts'))
      .filter((f) => /from '\.\.\/http\/errors'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CORE, f))
    expect(offenders).toEqual([])
  })

  it.each(Object.entries(OWN_TABLES))('%s names only its own tables', (file, own) => {
    const sql = readFileSync(join(CORE, file), 'utf8')
    const tables = [...sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)/g)].map((m) => m[1]!)
    expect(tables.length).toBeGreaterThan(0)
    expect(tables.filter((t) => !own.test(t) && t !== 'json_each')).toEqual([])
  })

  it('the shared rules the renderer imports are zod-free', () => {
    for (const name of ['alarm-rules.ts', 'event-types.ts', 'alert-kinds.ts']) {
      expect(readFileSync(join(SHARED, name), 'utf8')).not.toMatch(/from 'zod'/)
    }
  })
})
