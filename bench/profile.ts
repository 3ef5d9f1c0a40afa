/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where a server's time went: busy vs idle,
 * self time by component (Node internals, each npm package, the core's files), the hottest
 * functions, and the inclusive time of the core's own functions (what a request through them
 * costs, callees included). Used by `npm run bench -- --cpu-prof`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function component(frame: CallFrame): string {
  const { url, functionName } = frame
  if (!url) {
    if (functionName.startsWith('(')) return functionName // (idle), (garbage collector), (program)
    return 'native' // C++ bindings: better-sqlite3 statements, JSON.parse, crypto…
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (pkg) return pkg[1]!
  const core = /\/src\/(main\/core\/.+?|shared\/.+?)\.ts/.exec(url)
  if (core) return core[1]!
  if (url.startsWith('node:')) return 'node internals'
  return url.replace(/^file:\/\/.*\/(bench|scripts)\//, '$1/')
}

function frameKey(frame: CallFrame): string {
  const where = frame.url ? `${component(frame)}:${frame.lineNumber + 1}` : component(frame)
  return `${frame.functionName || '(anonymous)'} ${where}`
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`

export function summariseProfile(file: string, name: string, top = 12): string {
  if (!existsSync(file)) return `${name}: no profile at ${file}`
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

  let total = 0
  let idle = 0
  let gc = 0
  const selfByComponent = new Map<string, number>()
  const selfByFrame = new Map<string, number>()
  const inclusiveCore = new Map<string, number>()
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us)

  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    if (!node) return
    total += us
    const leaf = node.callFrame
    if (leaf.functionName === '(idle)') {
      idle += us
      return
    }
    if (leaf.functionName === '(garbage collector)') gc += us
    add(selfByComponent, component(leaf), us)
    add(selfByFrame, frameKey(leaf), us)
    // Inclusive: every core function on the stack, once per sample even when recursive.
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame
      if (!/\/src\/(main\/core|shared)\//.test(frame.url)) continue
      const key = frameKey(frame)
      if (!seen.has(key)) {
        seen.add(key)
        add(inclusiveCore, key, us)
      }
    }
  })

  const busy = total - idle
  const lines = [
    // Busy is low when several targets share a run: each server idles while the others are measured.
    `${name}: ${(total / 1e6).toFixed(1)} s profiled, busy ${pct(busy, total)} of it ` +
      `(garbage collection ${pct(gc, busy)} of busy)`,
    '  self time by component (share of busy time):'
  ]
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [key, us] of sorted(selfByComponent))
    lines.push(`    ${pct(us, busy).padStart(6)}  ${key}`)
  lines.push('  hottest functions (self time):')
  for (const [key, us] of sorted(selfByFrame))
    lines.push(`    ${pct(us, busy).padStart(6)}  ${key}`)
  if (inclusiveCore.size > 0) {
    lines.push("  the core's functions, callees included:")
    for (const [key, us] of sorted(inclusiveCore))
      lines.push(`    ${pct(us, busy).padStart(6)}  ${key}`)
  }
  return lines.join('\n')
}

// `tsx bench/profile.ts file.cpuprofile…` summarises profiles taken some other way.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2))
    process.stdout.write(`${summariseProfile(file, file)}\n\n`)
}
