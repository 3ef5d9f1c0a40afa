/**
 * Builds the app with electron-vite (into a temp dir) and checks that the bundles reference no
 * missing file: every import of the main process resolves, the preload the window is given
 * exists and needs nothing a sandboxed preload cannot load, and the dashboard's assets exist.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ID } from '../../src/main/desktop/app-identity'
import { desktopPaths } from '../../src/main/desktop/paths'

const root = resolve('.')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  dependencies: Record<string, string>
}
const projectRequire = createRequire(join(root, 'package.json'))

/** Module specifiers of static imports, re-exports and dynamic imports in an ES module. */
function esmSpecifiers(code: string): string[] {
  const found = new Set<string>()
  const patterns = [
    // Static imports start a line in the bundles; anchoring keeps strings like '/import' out.
    /^\s*(?:import|export)\s[^;'"]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g
  ]
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1]!)
  return [...found]
}

/** The `- item` entries of a top-level YAML block list (comments skipped). */
function topLevelList(yaml: string, key: string): string[] {
  const lines = yaml.split('\n')
  const start = lines.indexOf(`${key}:`)
  if (start < 0) return []
  const items: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break
    const m = /^\s+-\s+(.+?)\s*$/.exec(line)
    if (m) items.push(m[1]!.replace(/^'(.*)'$/, '$1'))
  }
  return items
}

const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!

describe('electron-vite build output', () => {
  let out: string

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'pastillero-build-'))
    await promisify(execFile)(
      join(root, 'node_modules/.bin/electron-vite'),
      ['build', '--outDir', out, '--logLevel', 'error'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 }
    )
  }, 120_000)
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('produces the main, headless, preload and renderer entries', () => {
    for (const file of [
      'main/index.js',
      'main/headless.js',
      'preload/index.cjs',
      'renderer/index.html'
    ])
      expect(existsSync(join(out, file)), file).toBe(true)
    // package.json's "main" is what Electron starts.
    expect(pkg.main).toBe('./out/main/index.js')
  })

  it('every import of the main-process bundles resolves', () => {
    const mainDir = join(out, 'main')
    const files = [
      ...readdirSync(mainDir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(mainDir, f)),
      ...(existsSync(join(mainDir, 'chunks'))
        ? readdirSync(join(mainDir, 'chunks'))
            .filter((f) => f.endsWith('.js'))
            .map((f) => join(mainDir, 'chunks', f))
        : [])
    ]
    const problems: string[] = []
    for (const file of files) {
      for (const spec of esmSpecifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          if (!existsSync(resolve(dirname(file), spec))) problems.push(`${file}: ${spec} missing`)
        } else if (
          spec === 'electron' ||
          spec.startsWith('node:') ||
          builtinModules.includes(spec)
        ) {
          continue
        } else if (!(packageName(spec) in pkg.dependencies)) {
          // A packaged app ships only "dependencies": anything else would be missing there.
          problems.push(`${file}: ${spec} is not in package.json dependencies`)
        } else {
          try {
            projectRequire.resolve(spec)
          } catch {
            problems.push(`${file}: ${spec} does not resolve`)
          }
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('the preload path the main process uses exists, and the preload only needs electron', () => {
    const paths = desktopPaths(join(out, 'main'), root)
    expect(existsSync(paths.preload)).toBe(true)
    const mainCode = readdirSync(join(out, 'main'), { recursive: true })
      .filter((f) => String(f).endsWith('.js'))
      .map((f) => readFileSync(join(out, 'main', String(f)), 'utf8'))
      .join('\n')
    expect(mainCode).toContain('"index.cjs"')

    // A sandboxed preload gets a require() that knows only these modules.
    const preload = readFileSync(paths.preload, 'utf8')
    const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(required.length).toBeGreaterThan(0)
    for (const spec of required) expect(['electron', 'events', 'timers', 'url']).toContain(spec)
    expect(preload).not.toMatch(/^\s*(import|export)\s/m) // CommonJS, not ESM
  })

  it('the dashboard HTML references assets that exist', () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8')
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((r) => !/^(https?:|data:|#)/.test(r))
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      expect(/^https?:/.test(ref), `${ref} must be local (CSP)`).toBe(false)
      expect(existsSync(join(out, 'renderer', ref.replace(/^\//, ''))), ref).toBe(true)
    }
  })

  it('the runtime images exist and are listed for packaging', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const paths = desktopPaths(join(out, 'main'), root, platform)
      expect(existsSync(paths.trayIcon), paths.trayIcon).toBe(true)
      expect(existsSync(paths.windowIcon), paths.windowIcon).toBe(true)
    }
    // No YAML parser is installed; these two lists are what makes the images reach the package.
    const builder = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
    expect(topLevelList(builder, 'files')).toEqual(
      expect.arrayContaining(['out/**', 'package.json', 'build/runtime/**'])
    )
    expect(topLevelList(builder, 'asarUnpack')).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'build/runtime/**'])
    )
    // Windows toasts need the runtime AppUserModelID to equal the installer's appId.
    expect(builder).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}( |$)`, 'm'))
  })
})
