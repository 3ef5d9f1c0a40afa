#!/usr/bin/env node
// Draws the app and tray icons (a two-colour capsule on a teal tile) and writes them as PNGs.
// Plain Node, no image library: shapes are signed-distance functions, 4x4 supersampled.
// The PNGs are committed; run this only to change the design:  node build/generate-icons.mjs
//   build/icon.png                     1024 px; electron-builder derives .icns and .ico from it
//   build/runtime/window.png           256 px, the window icon on Linux
//   build/runtime/tray.png, tray@2x    32/64 px, tray on Windows and Linux (a tile reads on any theme)
//   build/runtime/trayTemplate.png, @2x  16/32 px, macOS menu bar: black + alpha, tinted by macOS
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))

// ---- PNG encoding (RGBA, 8 bits per channel) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

// ---- shapes, in unit coordinates (0..1, y down) ----
function roundBox(x, y, half, radius) {
  const qx = Math.abs(x - 0.5) - half + radius
  const qy = Math.abs(y - 0.5) - half + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}
const DIAG = [Math.SQRT1_2, -Math.SQRT1_2] // capsule axis: bottom-left to top-right
function capsule(x, y, halfLength, radius) {
  const px = x - 0.5
  const py = y - 0.5
  const t = Math.max(-halfLength, Math.min(halfLength, px * DIAG[0] + py * DIAG[1]))
  return Math.hypot(px - t * DIAG[0], py - t * DIAG[1]) - radius
}
/** Position along the capsule axis: negative on the lower-left half. */
const along = (x, y) => (x - 0.5) * DIAG[0] + (y - 0.5) * DIAG[1]

const TEAL = [15, 118, 110]
const ORANGE = [249, 115, 22]
const WHITE = [255, 255, 255]
const SEAM = [120, 53, 15]

/** Colour (straight RGBA, 0..1 alpha) of one sample point. */
function coloredIcon({ tileHalf, tileRadius, capHalf, capRadius }) {
  return (x, y) => {
    let rgb = [0, 0, 0]
    let a = 0
    const over = (color, alpha) => {
      const outA = alpha + a * (1 - alpha)
      if (outA === 0) return
      rgb = rgb.map((c, i) => (color[i] * alpha + c * a * (1 - alpha)) / outA)
      a = outA
    }
    if (roundBox(x, y, tileHalf, tileRadius) <= 0) over(TEAL, 1)
    if (capsule(x, y, capHalf, capRadius) <= 0) {
      const s = along(x, y)
      over(s < 0 ? ORANGE : WHITE, 1)
      if (Math.abs(s) < capRadius * 0.07) over(SEAM, 0.55)
    }
    return [...rgb, a]
  }
}

function templateIcon({ capHalf, capRadius }) {
  return (x, y) => {
    const inside =
      capsule(x, y, capHalf, capRadius) <= 0 && Math.abs(along(x, y)) > capRadius * 0.12
    return [0, 0, 0, inside ? 1 : 0]
  }
}

function render(size, shade, samples = 4) {
  const out = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = shade(
            (px + (sx + 0.5) / samples) / size,
            (py + (sy + 0.5) / samples) / size
          )
          r += cr * ca
          g += cg * ca
          b += cb * ca
          a += ca
        }
      }
      const i = (py * size + px) * 4
      const n = samples * samples
      out[i] = a ? Math.round(r / a) : 0
      out[i + 1] = a ? Math.round(g / a) : 0
      out[i + 2] = a ? Math.round(b / a) : 0
      out[i + 3] = Math.round((a / n) * 255)
    }
  }
  return encodePng(size, out)
}

const appIcon = coloredIcon({ tileHalf: 0.46, tileRadius: 0.2, capHalf: 0.2, capRadius: 0.15 })
// Tray sizes are tiny: less margin, a fatter capsule.
const trayIcon = coloredIcon({ tileHalf: 0.5, tileRadius: 0.2, capHalf: 0.2, capRadius: 0.19 })
const template = templateIcon({ capHalf: 0.24, capRadius: 0.2 })

const files = [
  ['icon.png', 1024, appIcon],
  ['runtime/window.png', 256, appIcon],
  ['runtime/tray.png', 32, trayIcon],
  ['runtime/tray@2x.png', 64, trayIcon],
  ['runtime/trayTemplate.png', 16, template],
  ['runtime/trayTemplate@2x.png', 32, template]
]
for (const [name, size, shade] of files) {
  const file = join(here, name)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, render(size, shade))
  console.log(`${name} ${size}x${size}`)
}
