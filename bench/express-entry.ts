/**
 * What entering Express costs a small JSON POST, piece by piece (docs/performance.md, "A lean
 * device path"): `npx tsx bench/express-entry.ts [seconds=6]`. Each variant runs in its own
 * process (this file with `--serve <mode>`), autocannon sends 64 connections of one heartbeat
 * body, and the server's CPU per request is reported with req/s. Variants:
 * bare node:http; the same behind an Express Router; Router + express.json; bare after the
 * prototype swap app.handle does; an Express app route; an app route + express.json.
 */
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import express from 'express'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
const MODES = ['bare', 'router', 'router+json', 'prototype swap', 'app route', 'app route+json']

function answer(res: ServerResponse): void {
  const body = '{"ok":true}'
  res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(body.length)])
  res.end(body)
}
function readJson(req: IncomingMessage, then: () => void): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'))
    then()
  })
}

function handlerFor(mode: string): Handler {
  const path = '/api/devices/heartbeat'
  const json = express.json({ type: () => true })
  const viaRouter = (withJson: boolean): Handler => {
    const router = express.Router()
    if (withJson) router.post(path, json, (_req, res) => answer(res))
    else router.post(path, (req, res) => readJson(req, () => answer(res)))
    return (req, res) =>
      router(req as express.Request, res as express.Response, () => {
        res.statusCode = 404
        res.end()
      })
  }
  const app = express()
  switch (mode) {
    case 'bare':
      return (req, res) => readJson(req, () => answer(res))
    case 'router':
      return viaRouter(false)
    case 'router+json':
      return viaRouter(true)
    case 'prototype swap':
      return (req, res) => {
        Object.setPrototypeOf(req, app.request)
        Object.setPrototypeOf(res, app.response)
        readJson(req, () => answer(res))
      }
    case 'app route':
      app.post(path, (req, res) => readJson(req, () => answer(res)))
      return app
    default:
      app.post(path, json, (_req, res) => answer(res))
      return app
  }
}

if (process.argv[2] === '--serve') {
  const server = createServer(handlerFor(process.argv[3]!))
  server.keepAliveTimeout = 65_000
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port))
  process.on('SIGTERM', () => {
    const { user, system } = process.cpuUsage()
    console.error(String(user + system))
    process.exit(0)
  })
} else {
  const seconds = Number(process.argv[2] ?? 6)
  const self = fileURLToPath(import.meta.url)
  for (const mode of MODES) {
    const child = spawn(process.execPath, [...process.execArgv, self, '--serve', mode], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const port = await new Promise<number>((resolve) =>
      child.stdout.once('data', (d) => resolve(Number(String(d).trim())))
    )
    let cpu = ''
    child.stderr.on('data', (d) => (cpu += d))
    const r = await autocannon({
      url: `http://127.0.0.1:${port}/api/devices/heartbeat`,
      method: 'POST',
      connections: 64,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: 'AA:BB:CC:DD:EE:01', firmware_version: '1.0.0' })
    })
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    const perRequest = Number(cpu.trim()) / r.requests.total
    console.log(
      `${mode.padEnd(16)} ${Math.round(r.requests.average).toLocaleString('en')} req/s, ` +
        `CPU ${Math.round(perRequest)} µs/req, non-2xx ${r.non2xx}`
    )
  }
}
