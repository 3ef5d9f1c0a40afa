import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
      '@shared': resolve(import.meta.dirname, 'src/shared')
    }
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // Discovery tests need a private network namespace; .ci/run runs them inside one.
    exclude: ['tests/discovery/**', 'node_modules/**'],
    // Room for a loaded 2-core machine (CI runs on the developer's own, rarely idle): the E2E
    // tests drive Chromium against a real core, and 30 s was seen to run out there. A stuck step
    // still fails sooner, on its own limit (Playwright's per-step timeouts, waitFor deadlines).
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: too short for a page re-rendering on a busy box.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks'
  }
})
