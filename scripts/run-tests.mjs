#!/usr/bin/env node
// `npm test`: builds the app (the dashboard E2E tests need out/renderer), runs every vitest suite,
// runs the mDNS discovery suite inside a private network namespace (multicast must never leave
// this machine), and ends with one plain summary line: `N passed, N failed, N skipped`.
// Extra arguments go to the main vitest run (e.g. `npm test -- tests/api`).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

// A fresh clone: install first, so `npm test` is the whole command. The Electron binary is not
// needed (the shell's tests mock Electron) and cannot be downloaded on every machine.
if (!existsSync('node_modules')) {
  const install = spawnSync('npm', ['ci'], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }
  })
  if (install.status !== 0) {
    console.log('npm ci failed')
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}

const args = process.argv.slice(2)
const results = 'test-results'
mkdirSync(results, { recursive: true })

function run(command, commandArgs, options = {}) {
  const r = spawnSync(command, commandArgs, { stdio: 'inherit', ...options })
  return r.status ?? 1
}

function counts(file) {
  if (!existsSync(file)) return undefined
  const report = JSON.parse(readFileSync(file, 'utf8'))
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  }
}

const total = { passed: 0, failed: 0, skipped: 0 }
const add = (c) => {
  total.passed += c.passed
  total.failed += c.failed
  total.skipped += c.skipped
}

if (!process.env.SKIP_BUILD) {
  if (run('npx', ['electron-vite', 'build', '--logLevel', 'warn']) !== 0) {
    console.log('build failed')
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}

const reporters = ['--reporter=default', '--reporter=json']
const mainJson = `${results}/vitest.json`
rmSync(mainJson, { force: true })
const mainStatus = run('npx', [
  'vitest',
  'run',
  ...reporters,
  `--outputFile.json=${mainJson}`,
  ...args
])
const main = counts(mainJson)
if (main) add(main)
if (mainStatus !== 0 && (!main || main.failed === 0)) total.failed += 1 // crashed before reporting

// Discovery needs root for a network namespace. CI must run it; elsewhere it may be skipped.
const wantDiscovery = args.length === 0 && existsSync('vitest.discovery.config.ts')
if (wantDiscovery) {
  const discoveryJson = `${results}/discovery.json`
  rmSync(discoveryJson, { force: true })
  const canNamespace = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0
  if (canNamespace) {
    const inner =
      'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && ' +
      `exec npx vitest run --config vitest.discovery.config.ts ${reporters.join(' ')} --outputFile.json=${discoveryJson}`
    const status = run('unshare', ['-n', 'sh', '-c', inner])
    const discovery = counts(discoveryJson)
    if (discovery) add(discovery)
    if (status !== 0 && (!discovery || discovery.failed === 0)) total.failed += 1
  } else if (process.env.CI) {
    console.log(
      'discovery tests: cannot create a network namespace (need root and unshare) — CI must run them'
    )
    total.failed += 1
  } else {
    console.log(
      'discovery tests skipped: they need root to create a private network namespace (see docs/discovery.md)'
    )
  }
}

console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`
)
process.exit(total.failed > 0 ? 1 : 0)
