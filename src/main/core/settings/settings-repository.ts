import type { Db } from '../store/db'

export type SettingsRepository = ReturnType<typeof createSettingsRepository>

/** Key/value settings stored as JSON; callers validate what they read with zod. */
export function createSettingsRepository(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings')
  const set = db.prepare<[string, string, string]>(`
    INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)

  return {
    get<T = unknown>(key: string): T | undefined {
      const row = get.get(key)
      return row ? (JSON.parse(row.value) as T) : undefined
    },
    all(): Record<string, unknown> {
      return Object.fromEntries(all.all().map((r) => [r.key, JSON.parse(r.value) as unknown]))
    },
    set(key: string, value: unknown): void {
      set.run(key, JSON.stringify(value), new Date().toISOString())
    },
    setMany(values: Record<string, unknown>): void {
      db.transaction(() => {
        for (const [key, value] of Object.entries(values))
          set.run(key, JSON.stringify(value), new Date().toISOString())
      })()
    }
  }
}
