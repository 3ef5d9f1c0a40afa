import { createHash } from 'node:crypto'

/**
 * Reads an ESP32 application image (.bin) as esp-idf lays it out (esp_app_format.h,
 * esp_app_desc.h; little-endian) and refuses anything that is not one. The updater on the device
 * only checks the first byte, so this is the server's job: a wrong file must never reach a
 * dispenser.
 */

export const CHIPS: Record<number, string> = {
  0x0000: 'ESP32',
  0x0002: 'ESP32-S2',
  0x0005: 'ESP32-C3',
  0x0009: 'ESP32-S3',
  0x000c: 'ESP32-C2',
  0x000d: 'ESP32-C6',
  0x0010: 'ESP32-H2'
}

export const IMAGE_MAGIC = 0xe9
const APP_DESC_MAGIC = 0xabcd5432
const HEADER_LENGTH = 24
const SEGMENT_HEADER_LENGTH = 8
const APP_DESC_OFFSET = 0x20
const APP_DESC_LENGTH = 256
const MAX_SEGMENTS = 16
const CHECKSUM_SEED = 0xef

export interface Esp32Image {
  chipId: number
  chip: string
  segmentCount: number
  /** Where the image proper ends (after the checksum byte and padding, before any appended hash). */
  imageLength: number
  hashAppended: boolean
  app: {
    version: string
    projectName: string
    time: string
    date: string
    idfVersion: string
    elfSha256: string
  }
}

export class ImageError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'ImageError'
  }
}

function cString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length)
  const end = slice.indexOf(0)
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8')
}

function describeForeign(buf: Buffer): string | undefined {
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'a PNG image'
  if (buf[0] === 0xff && buf[1] === 0xd8) return 'a JPEG image'
  if (buf.subarray(0, 4).toString('latin1') === '%PDF') return 'a PDF document'
  if (buf.subarray(0, 2).toString('latin1') === 'PK') return 'a ZIP archive'
  if (buf.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))
    return 'an ELF file (upload the .bin, not the .elf)'
  if (buf[0] === 0xaa && buf[1] === 0x50) return 'a partition table'
  return undefined
}

/**
 * Parses and checks a whole image held in memory (at most the 16 MiB upload cap).
 * Throws ImageError with a message meant for the person who dropped the file.
 */
export function parseEsp32Image(buf: Buffer): Esp32Image {
  if (buf.length === 0) throw new ImageError('empty-file', 'the file is empty')
  if (buf[0] !== IMAGE_MAGIC) {
    const what = describeForeign(buf)
    throw new ImageError(
      what === 'a partition table' ? 'partition-table' : 'not-esp32-image',
      what
        ? `this is ${what}, not ESP32 firmware`
        : `not an ESP32 firmware image (it starts with 0x${buf[0]!.toString(16).padStart(2, '0')}, firmware starts with 0xE9)`
    )
  }
  if (buf.length < HEADER_LENGTH + SEGMENT_HEADER_LENGTH) {
    throw new ImageError(
      'truncated',
      `the image is truncated: ${buf.length} bytes is shorter than its header`
    )
  }

  const segmentCount = buf[1]!
  const chipId = buf.readUInt16LE(12)
  const hashAppended = buf[23] === 1
  if (segmentCount === 0 || segmentCount > MAX_SEGMENTS) {
    throw new ImageError(
      'bad-header',
      `the image header claims ${segmentCount} segments; this is not a valid image`
    )
  }
  const chip = CHIPS[chipId]
  if (!chip)
    throw new ImageError(
      'unknown-chip',
      `unknown chip id 0x${chipId.toString(16)} in the image header`
    )

  // Walk the segments, XOR-ing their data into the checksum as the ROM loader does.
  let offset = HEADER_LENGTH
  let checksum = CHECKSUM_SEED
  for (let i = 0; i < segmentCount; i++) {
    if (offset + SEGMENT_HEADER_LENGTH > buf.length) {
      throw new ImageError(
        'truncated',
        `the image is truncated: segment ${i + 1} of ${segmentCount} is missing`
      )
    }
    const length = buf.readUInt32LE(offset + 4)
    const dataStart = offset + SEGMENT_HEADER_LENGTH
    if (dataStart + length > buf.length) {
      throw new ImageError(
        'truncated',
        `the image is truncated: segment ${i + 1} of ${segmentCount} is cut short`
      )
    }
    for (let j = dataStart; j < dataStart + length; j++) checksum ^= buf[j]!
    offset = dataStart + length
  }
  // One checksum byte, placed so the image length is a multiple of 16.
  const checksumAt = offset + (15 - (offset % 16))
  if (checksumAt >= buf.length)
    throw new ImageError('truncated', 'the image is truncated: its checksum is missing')
  if (buf[checksumAt] !== checksum) {
    throw new ImageError('bad-checksum', 'the image checksum does not match: the file is corrupted')
  }
  const imageLength = checksumAt + 1
  if (hashAppended) {
    if (imageLength + 32 > buf.length) {
      throw new ImageError('truncated', 'the image is truncated: its appended SHA-256 is missing')
    }
    const expected = buf.subarray(imageLength, imageLength + 32)
    const actual = createHash('sha256').update(buf.subarray(0, imageLength)).digest()
    if (!actual.equals(expected)) {
      throw new ImageError(
        'bad-hash',
        'the appended SHA-256 does not match the image: the file is corrupted'
      )
    }
  }

  // An application carries esp_app_desc_t at the start of its first segment; a bootloader does not.
  if (
    buf.length < APP_DESC_OFFSET + APP_DESC_LENGTH ||
    buf.readUInt32LE(APP_DESC_OFFSET) !== APP_DESC_MAGIC
  ) {
    throw new ImageError(
      'not-application',
      'this ESP32 image has no application descriptor: it looks like a bootloader, not the app firmware'
    )
  }
  const d = APP_DESC_OFFSET
  return {
    chipId,
    chip,
    segmentCount,
    imageLength,
    hashAppended,
    app: {
      version: cString(buf, d + 0x10, 32),
      projectName: cString(buf, d + 0x30, 32),
      time: cString(buf, d + 0x50, 16),
      date: cString(buf, d + 0x60, 16),
      idfVersion: cString(buf, d + 0x70, 32),
      elfSha256: buf.subarray(d + 0x90, d + 0x90 + 32).toString('hex')
    }
  }
}
