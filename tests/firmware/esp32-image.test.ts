import { describe, expect, it } from 'vitest'
import { parseEsp32Image } from '../../src/main/core/firmware/esp32-image'
import {
  chooseVersion,
  normaliseVersion,
  versionFromFileName
} from '../../src/main/core/firmware/firmware-version'
import { rolloutBucket } from '../../src/main/core/firmware/rollout'
import { buildEsp32Image, PARTITION_TABLE_BYTES, PNG_BYTES } from '../helpers/esp32-image'

describe('ESP32 image validation', () => {
  it('reads the header and app descriptor of a valid image', () => {
    const image = parseEsp32Image(
      buildEsp32Image({ chipId: 0x0009, version: '2.3.4', projectName: 'pastillero-fw' })
    )
    expect(image).toMatchObject({
      chip: 'ESP32-S3',
      chipId: 9,
      segmentCount: 2,
      hashAppended: true,
      app: {
        version: '2.3.4',
        projectName: 'pastillero-fw',
        date: 'Nov 26 2026',
        time: '09:00:00',
        idfVersion: 'v5.3.1'
      }
    })
    expect(image.app.elfSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('accepts an image without an appended hash', () => {
    expect(parseEsp32Image(buildEsp32Image({ hashAppended: false })).hashAppended).toBe(false)
  })

  it.each([
    ['a PNG renamed .bin', PNG_BYTES, /PNG image, not ESP32 firmware/],
    ['a partition table', PARTITION_TABLE_BYTES, /partition table/],
    ['an empty file', Buffer.alloc(0), /empty/],
    ['random bytes', Buffer.from('hello world, not firmware'), /starts with 0x68/],
    ['a bootloader', buildEsp32Image({ bootloader: true }), /bootloader/],
    ['an unknown chip', buildEsp32Image({ chipId: 0x7777 }), /unknown chip id 0x7777/]
  ])('rejects %s with a message that says why', (_what, bytes, message) => {
    expect(() => parseEsp32Image(bytes)).toThrow(message)
  })

  it('rejects truncated images wherever they are cut', () => {
    const full = buildEsp32Image()
    for (const length of [10, 30, 200, full.length - 40, full.length - 1]) {
      expect(() => parseEsp32Image(full.subarray(0, length)), `cut at ${length}`).toThrow(
        /truncated/
      )
    }
  })

  it('rejects a bad appended hash and a corrupted segment', () => {
    const badHash = buildEsp32Image()
    badHash[badHash.length - 1]! ^= 0xff
    expect(() => parseEsp32Image(badHash)).toThrow(/appended SHA-256 does not match/)

    const corrupted = buildEsp32Image({ hashAppended: false })
    corrupted[400]! ^= 0x01
    expect(() => parseEsp32Image(corrupted)).toThrow(/checksum does not match/)
  })
})

describe('firmware versions', () => {
  it('normalises what people type', () => {
    expect(normaliseVersion('v1.2.3')).toBe('1.2.3')
    expect(normaliseVersion('1.2')).toBe('1.2.0')
    expect(normaliseVersion('2.0.0-beta.1')).toBe('2.0.0-beta.1')
    expect(normaliseVersion('esp-idf: v4.4.7 38eeba2')).toBeNull()
  })

  it('takes the form first, then the descriptor unless it is the Arduino placeholder, then the file name', () => {
    expect(chooseVersion({ formVersion: '3.0.0', appVersion: '1.0.0', projectName: 'p' })).toEqual({
      version: '3.0.0',
      source: 'form'
    })
    expect(chooseVersion({ appVersion: '1.4.0', projectName: 'pastillero' })).toEqual({
      version: '1.4.0',
      source: 'descriptor'
    })
    expect(
      chooseVersion({
        appVersion: 'esp-idf: v4.4.7',
        projectName: 'arduino-lib-builder',
        fileName: 'pastillero-1.5.2.bin'
      })
    ).toEqual({ version: '1.5.2', source: 'file-name' })
    expect(
      chooseVersion({
        appVersion: 'v4.4',
        projectName: 'arduino-lib-builder',
        fileName: 'firmware.bin'
      })
    ).toEqual({
      error: expect.stringMatching(/placeholder/)
    })
    expect(chooseVersion({ formVersion: 'latest', appVersion: '1.0.0', projectName: 'p' })).toEqual(
      {
        error: expect.stringMatching(/not a semantic version/)
      }
    )
  })

  it('finds versions in file names', () => {
    expect(versionFromFileName('fw_v2.0.bin')).toBe('2.0.0')
    expect(versionFromFileName('pastillero-1.4.2.bin')).toBe('1.4.2')
    expect(versionFromFileName('sketch.ino.bin')).toBeNull()
  })

  it('spreads rollout buckets evenly and stably', () => {
    const buckets = Array.from({ length: 2000 }, (_, i) => rolloutBucket(`dev-${i}`, '1.0.0'))
    expect(buckets.filter((b) => b < 25).length).toBeGreaterThan(400)
    expect(buckets.filter((b) => b < 25).length).toBeLessThan(600)
    expect(rolloutBucket('dev-1', '1.0.0')).toBe(buckets[1])
  })
})
