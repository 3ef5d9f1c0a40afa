/**
 * A two-host "LAN" inside this machine (shared/testing.md): two fresh network namespaces joined
 * by a veth pair on 198.51.100.0/24 (TEST-NET-2, which exists only here). Nothing in them can
 * reach a real network. Names are unique per run and the namespaces are deleted on every path,
 * including a crash of the test process.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'

export interface VethLan {
  /** Namespace of the server "host" and of the client (the dispenser). */
  server: string
  client: string
  serverAddress: string
  clientAddress: string
  /** Prefix to run a command inside a namespace. */
  inServer: string[]
  inClient: string[]
  destroy(): void
}

const created = new Set<string>()
const removeNamespaces = () => {
  for (const ns of created) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
  created.clear()
}
process.once('exit', removeNamespaces)

/** Why a veth LAN cannot be made here (not root, no `ip netns`), or undefined. */
export function vethProblem(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces'
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces'
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return '`ip netns` is not available'
  return undefined
}

export function createVethLan(): VethLan {
  const id = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`.slice(-8)
  const server = `pst-${id}-srv`
  const client = `pst-${id}-cli`
  const [a, b] = [`pv${id}a`, `pv${id}b`] // interface names: at most 15 characters
  const serverAddress = '198.51.100.2'
  const clientAddress = '198.51.100.3'
  const ip = (...args: string[]) =>
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  try {
    for (const ns of [server, client]) {
      ip('netns', 'add', ns)
      created.add(ns)
    }
    ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b)
    ip('link', 'set', a, 'netns', server)
    ip('link', 'set', b, 'netns', client)
    for (const [ns, dev, addr] of [
      [server, a, serverAddress],
      [client, b, clientAddress]
    ] as const) {
      ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)
      ip('-n', ns, 'link', 'set', 'lo', 'up')
      ip('-n', ns, 'link', 'set', dev, 'up', 'multicast', 'on')
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev)
    }
  } catch (err) {
    removeNamespaces()
    spawnSync('ip', ['link', 'del', a], { stdio: 'ignore' }) // if it never moved
    throw err
  }
  return {
    server,
    client,
    serverAddress,
    clientAddress,
    inServer: ['ip', 'netns', 'exec', server],
    inClient: ['ip', 'netns', 'exec', client],
    destroy() {
      for (const ns of [server, client]) {
        spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
        created.delete(ns)
      }
    }
  }
}

/** Names of the namespaces this helper created that still exist (for the cleanup assertion). */
export function leftoverNamespaces(names: string[]): string[] {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout
  return names.filter((n) => new RegExp(`^${n}\\b`, 'm').test(list))
}
