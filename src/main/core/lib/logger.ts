/** A small scoped logger; the hardening issue replaces its sink with rotating structured files. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(scope: string): Logger
}

type Sink = (
  level: 'info' | 'warn' | 'error',
  scope: string,
  message: string,
  fields?: Record<string, unknown>
) => void

const consoleSink: Sink = (level, scope, message, fields) => {
  const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${message}`
  const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''
  ;(level === 'info' ? console.log : console.error)(line + extra)
}

export const silentSink: Sink = () => {}

export function createLogger(scope = 'core', sink: Sink = consoleSink): Logger {
  return {
    info: (m, f) => sink('info', scope, m, f),
    warn: (m, f) => sink('warn', scope, m, f),
    error: (m, f) => sink('error', scope, m, f),
    child: (child) => createLogger(`${scope}:${child}`, sink)
  }
}

/** Sends every line to both loggers (the console and the log file). */
export function teeLogger(a: Logger, b: Logger): Logger {
  return {
    info: (m, f) => (a.info(m, f), b.info(m, f)),
    warn: (m, f) => (a.warn(m, f), b.warn(m, f)),
    error: (m, f) => (a.error(m, f), b.error(m, f)),
    child: (scope) => teeLogger(a.child(scope), b.child(scope))
  }
}

// A Telegram bot token ("123456:AA…", 35 characters after the colon): libraries put it in URLs
// and error messages, so it is removed from every line whatever field it hides in.
const BOT_TOKEN = /\d{3,}:[A-Za-z0-9_-]{30,}/g

function scrub(value: string): string {
  return value.replace(BOT_TOKEN, '[redacted]')
}

/** Removes secrets that can appear inside messages and field values (not only under known keys). */
export function redactingLogger(inner: Logger): Logger {
  const fields = (f?: Record<string, unknown>) => {
    if (!f) return f
    const text = JSON.stringify(f)
    if (text === undefined || !BOT_TOKEN.test(text)) return f
    BOT_TOKEN.lastIndex = 0
    return JSON.parse(scrub(text)) as Record<string, unknown>
  }
  const check = (m: string) => {
    BOT_TOKEN.lastIndex = 0
    return scrub(m)
  }
  return {
    info: (m, f) => inner.info(check(m), fields(f)),
    warn: (m, f) => inner.warn(check(m), fields(f)),
    error: (m, f) => inner.error(check(m), fields(f)),
    child: (scope) => redactingLogger(inner.child(scope))
  }
}
