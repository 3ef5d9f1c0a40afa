import { createHash } from 'node:crypto'

/**
 * Builds real ESP32 application images in the esp-idf layout (esp_app_format.h, esp_app_desc.h),
 * so tests exercise the same bytes a build would produce.
 */
export interface ImageOptions {
  chipId?: number
  version?: string
  projectName?: string
  time?: string
  date?: string
  idfVersion?: string
  /** Bytes of filler in the (second) segment; sets the image size. */
  bodySize?: number
  hashAppended?: boolean
  /** Leave out the app descriptor, as in a bootloader image. */
  bootloader?: boolean
  seed?: number
}

function fixedString(text: string, length: number): Buffer {
  const buf = Buffer.alloc(length)
  buf.write(text.slice(0, length - 1), 'utf8')
  return buf
}

export function buildEsp32Image(options: ImageOptions = {}): Buffer {
  const {
    chipId = 0x0000,
    version = '1.0.0',
    projectName = 'pastillero',
    time = '09:00:00',
    date = 'Nov 26 2026',
    idfVersion = 'v5.3.1',
    bodySize = 4096,
    hashAppended = true,
    bootloader = false,
    seed = 1
  } = options

  // Segment 1 (DROM): the app descriptor (256 bytes) then some rodata.
  const desc = Buffer.alloc(256)
  if (!bootloader) {
    desc.writeUInt32LE(0xabcd5432, 0)
    fixedString(version, 32).copy(desc, 0x10)
    fixedString(projectName, 32).copy(desc, 0x30)
    fixedString(time, 16).copy(desc, 0x50)
    fixedString(date, 16).copy(desc, 0x60)
    fixedString(idfVersion, 32).copy(desc, 0x70)
    createHash('sha256').update(`elf-${version}-${seed}`).digest().copy(desc, 0x90)
  } else {
    desc.writeUInt32LE(0x50, 0) // esp_bootloader_desc_t starts with magic byte 0x50
  }
  const seg1 = Buffer.concat([desc, Buffer.alloc(64, 0x11)])
  // Segment 2 (IROM): filler derived from the seed so different builds differ.
  const seg2 = Buffer.alloc(bodySize)
  for (let i = 0; i < bodySize; i++) seg2[i] = (i * 31 + seed * 17) & 0xff

  const header = Buffer.alloc(24)
  header[0] = 0xe9
  header[1] = 2 // segment count
  header[2] = 0x02 // SPI mode
  header.writeUInt32LE(0x400d0000, 4) // entry point
  header.writeUInt16LE(chipId, 12)
  header[23] = hashAppended ? 1 : 0

  const segment = (addr: number, data: Buffer) => {
    const h = Buffer.alloc(8)
    h.writeUInt32LE(addr, 0)
    h.writeUInt32LE(data.length, 4)
    return Buffer.concat([h, data])
  }
  let body = Buffer.concat([header, segment(0x3f400020, seg1), segment(0x400d0020, seg2)])
  let checksum = 0xef
  for (const b of seg1) checksum ^= b
  for (const b of seg2) checksum ^= b
  const padding = 15 - (body.length % 16)
  body = Buffer.concat([body, Buffer.alloc(padding), Buffer.from([checksum])])
  if (hashAppended) body = Buffer.concat([body, createHash('sha256').update(body).digest()])
  return body
}

export const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452', 'hex'),
  Buffer.alloc(200, 7)
])

export const PARTITION_TABLE_BYTES = Buffer.concat([
  Buffer.from([0xaa, 0x50, 0x01, 0x02]),
  Buffer.alloc(3068, 0xff)
])
