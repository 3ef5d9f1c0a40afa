import { Router, type Request, type RequestHandler } from 'express'
import { deviceIdSchema } from '../../../shared/api-schemas'
import { clientIp } from '../http/client-ip'
import { HttpError, parseOr422 } from '../http/errors'
import type { DeviceAuth, DeviceTrust } from '../device-trust/device-trust'
import { assertNotBlocked } from '../devices/device-gate'
import type { DeviceService } from '../devices/device-service'
import type { FirmwareRow } from './firmware-repository'
import type { FirmwareService } from './firmware-service'
import { versionParamSchema } from './schemas'

/**
 * Which device is asking: `X-Device-Id`, `?device_id=`, or the STA MAC that Arduino's HTTPUpdate
 * sends. A malformed id is a 422; none at all is allowed (then only "all" releases apply).
 */
function deviceIdFrom(req: Request): string | undefined {
  const candidates: Array<[string, unknown]> = [
    ['X-Device-Id', req.get('x-device-id')],
    ['device_id', req.query.device_id],
    ['x-ESP32-STA-MAC', req.get('x-esp32-sta-mac')]
  ]
  for (const [field, value] of candidates) {
    if (value === undefined || value === '') continue
    const parsed = deviceIdSchema.safeParse(value)
    if (!parsed.success)
      throw new HttpError(
        422,
        'validation-failed',
        `${field}: ${parsed.error.issues[0]!.message}`,
        field
      )
    return parsed.data
  }
  return undefined
}

/**
 * The device's token or the enrolment key. Many sketches can only pass a URL, so the download
 * and update also take `?key=`.
 */
function deviceCredential(trust: DeviceTrust, allowQueryKey: boolean): RequestHandler {
  return (req, res, next) => {
    res.locals.deviceAuth = trust.authenticate(req, allowQueryKey)
    next()
  }
}

/** Which device asks (see DeviceTrust.otaDevice); downloads must name one. */
function otaDevice(
  trust: DeviceTrust,
  req: Request,
  res: import('express').Response,
  required: boolean
): string | undefined {
  const deviceId = trust.otaDevice(
    res.locals.deviceAuth as DeviceAuth,
    deviceIdFrom(req),
    clientIp(req)
  )
  if (!deviceId && required)
    throw new HttpError(
      401,
      'device-unidentified',
      'say which device is downloading: its token, X-Device-Id, ?device_id= or x-ESP32-STA-MAC',
      'device_id'
    )
  return deviceId
}

function absoluteUrl(req: Request, path: string): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${path}`
}

function sendImage(
  res: import('express').Response,
  fw: FirmwareRow,
  path: string,
  extra: Record<string, string> = {}
) {
  res.set({
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="pastillero-${fw.version}.bin"`,
    ETag: `"${fw.sha256}"`,
    'x-MD5': fw.md5,
    ...extra
  })
  // send() handles Range/If-Range and sets Content-Length; HTTPUpdate needs that header (no chunking).
  res.sendFile(path, { etag: false, lastModified: false, cacheControl: false, acceptRanges: true })
}

export function otaRoutes(
  firmware: FirmwareService,
  devices: DeviceService,
  trust: DeviceTrust
): Router {
  const router = Router()
  const anyKey = deviceCredential(trust, true)

  // Seed-compatible check: tells the device whether a newer version is released for it.
  router.get('/check/:current_version', deviceCredential(trust, false), (req, res) => {
    const { version: current } = parseOr422(
      versionParamSchema,
      { version: req.params.current_version },
      'path'
    )
    // A check only describes the offer, so it may be anonymous (then only "all" releases apply).
    const deviceId = otaDevice(trust, req, res, false)
    assertNotBlocked(devices, deviceId)
    const offer = firmware.offerFor(deviceId, current)
    if (!offer) return res.json({ update_available: false })
    if (deviceId) firmware.markOffered(deviceId, offer.version)
    // The url names the device, so a sketch that fetches it as given is identified.
    const path = `/api/ota/download/${encodeURIComponent(offer.version)}`
    res.json({
      update_available: true,
      version: offer.version,
      url: absoluteUrl(req, deviceId ? `${path}?device_id=${encodeURIComponent(deviceId)}` : path),
      size: offer.size,
      md5: offer.md5,
      sha256: offer.sha256
    })
  })

  router.get('/download/:version', anyKey, (req, res) => {
    const { version } = parseOr422(versionParamSchema, { version: req.params.version }, 'path')
    const deviceId = otaDevice(trust, req, res, true)!
    assertNotBlocked(devices, deviceId)
    const fw = firmware.byVersion(version)
    if (!fw)
      throw new HttpError(404, 'firmware-not-found', `no firmware version ${version}`, 'version')
    const range = req.get('range')
    if (!range || /^bytes=0-/.test(range)) firmware.markDownloading(deviceId, fw.version)
    sendImage(res, fw, firmware.filePath(fw), { 'x-SHA256': fw.sha256 })
  })

  // Arduino-ESP32 HTTPUpdate: 304 = nothing to do; 200 = the image, with Content-Length and x-MD5.
  router.get('/update', anyKey, (req, res) => {
    const deviceId = otaDevice(trust, req, res, true)!
    assertNotBlocked(devices, deviceId)
    const mode = req.get('x-esp32-mode')
    if (mode && mode !== 'sketch') return res.status(304).end() // we serve application images only
    const queryVersion = typeof req.query.version === 'string' ? req.query.version : undefined
    const current =
      req.get('x-esp32-version') ??
      queryVersion ??
      (deviceId ? firmware.reportedVersion(deviceId) : undefined)
    const offer = firmware.offerFor(deviceId, current ?? undefined)
    if (!offer) return res.status(304).end()
    const sketchMd5 = req.get('x-esp32-sketch-md5')
    if (sketchMd5 && sketchMd5.toLowerCase() === offer.md5) return res.status(304).end()
    const free = Number(req.get('x-esp32-free-space'))
    if (Number.isFinite(free) && free >= 0 && offer.size > free) {
      throw new HttpError(
        409,
        'insufficient-space',
        `firmware ${offer.version} is ${offer.size} bytes but the device has only ${free} bytes free`
      )
    }
    firmware.markDownloading(deviceId, offer.version)
    sendImage(res, offer, firmware.filePath(offer))
  })

  return router
}
