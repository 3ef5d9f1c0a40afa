import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import { MdnsAdvertiser } from '../../src/main/core/discovery/mdns-advertiser'
import { NAMESPACE_PROBLEM, suiteTitle } from './mdns-harness'

const TSX = resolve('node_modules/.bin/tsx')
const SCRIPT = resolve('scripts/discover.ts')

function discover(
  args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(TSX, [SCRIPT, ...args], { env: process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

describe('scripts/discover.ts usage', () => {
  it('--help explains the options and exit codes', async () => {
    const run = await discover(['--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--timeout')
    expect(run.stdout).toContain('_pastillero._tcp')
  })

  it('a bad --timeout is a usage error', async () => {
    const run = await discover(['--timeout', 'soon'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--timeout/)
  })
})

describe.skipIf(!!NAMESPACE_PROBLEM)(suiteTitle('scripts/discover.ts on the network'), () => {
  const advertisers: MdnsAdvertiser[] = []
  afterEach(async () => {
    await Promise.all(advertisers.splice(0).map((a) => a.stop()))
  })

  it('prints every Pastillero found, with host, port and TXT', async () => {
    for (const [port, id] of [
      [7001, 'disc-aaaa-0001'],
      [7002, 'disc-bbbb-0002']
    ] as const) {
      const a = new MdnsAdvertiser({
        port,
        instanceId: id,
        version: '1.2.3',
        log: createLogger('t', silentSink)
      })
      advertisers.push(a)
      await a.start()
    }

    const json = await discover(['--timeout', '2', '--json'])
    expect(json.code).toBe(0)
    const servers = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; host: string; port: number; txt: object })
    expect(servers.map((s) => [s.name, s.port])).toEqual([
      ['Pastillero', 7001],
      ['Pastillero (2)', 7002]
    ])
    expect(servers[0]!.host).toMatch(/\.local$/)
    expect(servers[1]!.txt).toEqual({
      path: '/api',
      api: '1',
      version: '1.2.3',
      id: 'disc-bbbb-0002'
    })

    const text = await discover(['--timeout', '2'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/Pastillero \(2\)\n {2}host: +\S+\.local/)
    expect(text.stdout).toContain('port:      7002')
    expect(text.stdout).toContain('2 found.')
  })

  it('exits 1 and says so when nothing answers', async () => {
    const run = await discover(['--timeout', '1'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/None found/)
  })
})
