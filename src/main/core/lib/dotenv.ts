import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import type { Env } from '../config'

/** The process environment over a `.env` file (the real environment wins, as with dotenv). */
export function environmentWithDotenv(file: string, env: Env = process.env): Env {
  if (!existsSync(file)) return env
  const fromFile = parseEnv(readFileSync(file, 'utf8'))
  return { ...fromFile, ...env }
}
