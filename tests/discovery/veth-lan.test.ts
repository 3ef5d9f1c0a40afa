import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess, E2E_DEVICE_KEY } from '../dispenser/server'
import { VirtualDispenser, ensureBuilt, virtualProblem } from '../dispenser/virtual-dispenser'
import { NAMESPACE_PROBLEM } from './mdns-harness'
import { createVethLan, leftoverNamespaces, vethProblem, type VethLan } from './veth-lan'

const PYTHON = '/usr/bin/python3' // Debian's, which has python3-zeroconf
const RESOLVER = 'tests/discovery/zeroconf-resolve.py'
const PORT = 8000 // the default a family's server uses; free in a fresh namespace

function run(argv: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      done({ code, out })
    })
  })
}

// The suite runs inside a private namespace (NAMESPACE_PROBLEM guards that) and makes two more,
// joined by a veth pair: the server on one "host", an independent mDNS client on the other.
ensureBuilt()
const problem = NAMESPACE_PROBLEM ?? vethProblem()
describe.skipIf(!!problem)(
  `discovery across a veth LAN${problem ? ` — SKIPPED: ${problem}` : ''}`,
  () => {
    let lan: VethLan
    let server: ServerProcess
    const names: string[] = []

    beforeAll(async () => {
      lan = createVethLan()
      names.push(lan.server, lan.client)
      server = await ServerProcess.start({ host: '0.0.0.0', port: PORT, wrap: lan.inServer })
    }, 60_000)
    afterAll(async () => {
      await server?.dispose()
      lan?.destroy()
      expect(leftoverNamespaces(names)).toEqual([])
    })

    it('python-zeroconf on another host resolves the service, its A record, port and TXT, and reaches /api/health', async () => {
      const { code, out } = await run([...lan.inClient, PYTHON, RESOLVER, '15'], 30_000)
      let answer: Record<string, any>
      try {
        answer = JSON.parse(out.trim().split('\n').at(-1)!)
      } catch {
        throw new Error(`resolver printed no JSON (exit ${code}):\n${out}`)
      }
      expect(answer, out).toMatchObject({ found: true, port: PORT })
      expect(answer.name).toMatch(/\._pastillero\._tcp\.local\.$/)
      expect(answer.server).toMatch(/\.local\.$/)
      // The record a device needs to connect: the server's address on this LAN.
      expect(answer.addresses, `no A record for ${answer.server}: ${out}`).toContain(
        lan.serverAddress
      )
      expect(answer.txt).toMatchObject({ path: '/api', api: '1', id: expect.any(String) })
      expect(answer.health).toMatchObject({
        url: `http://${lan.serverAddress}:${PORT}/api/health`,
        status: 200,
        body: { ok: true }
      })
    })

    const noBinary = virtualProblem()
    it.skipIf(!!noBinary && !process.env.CI)(
      `a virtual dispenser started with --discover finds the server and beats${noBinary ? ` (${noBinary})` : ''}`,
      async () => {
        ensureBuilt()
        const device = new VirtualDispenser({
          deviceId: 'D1:5C:00:00:00:01',
          key: E2E_DEVICE_KEY,
          discover: true, // and no fallback address: only mDNS can lead it to the server
          wrap: lan.inClient
        })
        try {
          const found = await device.waitEv('server', { via: 'mdns' })
          expect(found.url).toBe(`http://${lan.serverAddress}:${PORT}`)
          await device.waitEv('heartbeat', { status: 200 })
        } finally {
          await device.dispose()
        }
      }
    )
  }
)
