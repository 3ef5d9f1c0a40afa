import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const ROOT = resolve(BENCH_DIR, '..')
export const RESULTS_DIR = join(BENCH_DIR, 'results')
/** The key every bench dispenser sends; the cores under test are started with it. */
export const DEVICE_KEY = 'bench-device-key-0123456789'
export const ADMIN_PASSWORD = 'bench-admin-password'
