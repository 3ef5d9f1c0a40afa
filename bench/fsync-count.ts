/**
 * `npx tsx bench/fsync-count.ts [requests]`: how many fsync/fdatasync calls one request costs,
 * counted with strace on the server process: the floor's heartbeat, and the core's heartbeat and
 * event. With synchronous=FULL every commit is one fsync, and on most disks that wait dominates a
 * request, so this count explains the throughput gap to the floor without the disk's noise.
 * Linux with strace only (ptrace of a child: run as root or with ptrace_scope 0).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fleetBodies } from './lib/bodies'
import { DEVICE_KEY } from './lib/paths'
import { serverScript, startServer } from './lib/servers'

const requests = Number(process.argv[2] ?? 500)
if (spawnSync('strace', ['-V']).status !== 0) {
  process.stderr.write('fsync-count: strace is not installed\n')
  process.exit(1)
}
const targets = [
  {
    label: 'floor POST /api/devices/heartbeat',
    script: 'floor.ts',
    path: '/api/devices/heartbeat'
  },
  { label: 'core  POST /api/devices/heartbeat', script: 'core.ts', path: '/api/devices/heartbeat' },
  { label: 'core  POST /api/events/', script: 'core.ts', path: '/api/events/' }
]
const dir = mkdtempSync(join(tmpdir(), 'pastillero-fsync-'))
try {
  for (const t of targets) {
    const server = await startServer({
      name: t.script,
      script: serverScript(t.script),
      env: { BENCH_DEVICE_KEY: DEVICE_KEY }
    })
    const bodies = fleetBodies(200)
    const send = async () => {
      const res = await fetch(`http://127.0.0.1:${server.port}${t.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
        body: t.path.includes('events') ? bodies.nextEvent() : bodies.nextHeartbeat()
      })
      if (res.status !== 200) throw new Error(`${t.label} answered ${res.status}`)
      await res.text()
    }
    // Every device seen once first: the steady state, not first sightings.
    for (let i = 0; i < 200; i++) await send()
    const out = join(dir, `${t.script}-${t.path.replace(/\W/g, '')}.txt`)
    const strace = spawn(
      'strace',
      ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-o', out, '-p', String(server.pid)],
      { stdio: 'ignore' }
    )
    await new Promise((r) => setTimeout(r, 1000)) // attached to every thread
    for (let i = 0; i < requests; i++) await send()
    strace.kill('SIGINT')
    await new Promise((r) => strace.once('exit', r))
    await server.stop()
    // strace -c: % time, seconds, usecs/call, calls, [errors,] syscall
    const calls = readFileSync(out, 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.at(-1) === 'fsync' || cols.at(-1) === 'fdatasync')
      .reduce((n, cols) => n + Number(cols[3]), 0)
    process.stdout.write(
      `${t.label}: ${calls} fsync/fdatasync for ${requests} requests = ` +
        `${(calls / requests).toFixed(2)} per request\n`
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
