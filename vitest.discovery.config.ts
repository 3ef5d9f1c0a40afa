import { defineConfig } from 'vitest/config'

// The mDNS suite: real multicast, so it runs only inside a private network namespace
// (scripts/test-discovery.sh, or `npm test` as root). Each test file checks that it is in one
// and skips otherwise, so nothing is ever sent on a real LAN.
export default defineConfig({
  test: {
    include: ['tests/discovery/**/*.test.ts'],
    testTimeout: 60_000, // room for a loaded machine, as in vitest.config.ts
    hookTimeout: 60_000,
    pool: 'forks',
    // One namespace and one UDP port 5353 for all files, and some tests add network interfaces:
    // running files side by side would let one file's announcements and interfaces leak into
    // another's assertions.
    fileParallelism: false
  }
})
