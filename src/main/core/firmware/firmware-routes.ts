import busboy from 'busboy'
import { Router, type Request } from 'express'
import type { FirmwareView } from '../../../shared/api-schemas'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import {
  FIRMWARE_MAX_BYTES,
  TooLargeError,
  type FirmwareFiles,
  type StagedFile
} from './firmware-files'
import type { FirmwareService } from './firmware-service'
import { firmwareIdParamsSchema, releaseBodySchema } from './schemas'

interface Upload {
  staged?: StagedFile
  fileName?: string
  fields: Record<string, string>
}

/**
 * Reads a multipart upload, streaming the `file` part straight to a temp file; nothing is
 * buffered whole in memory. Text fields are capped.
 */
function readUpload(req: Request, files: FirmwareFiles): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 10, fieldSize: 4096, fileSize: FIRMWARE_MAX_BYTES, parts: 12 }
      })
    } catch {
      reject(
        new HttpError(
          415,
          'multipart-required',
          'send the firmware as multipart/form-data with a "file" field'
        )
      )
      return
    }
    const upload: Upload = { fields: {} }
    let pending: Promise<void> | undefined
    let failed: unknown
    let malformed: HttpError | undefined
    parser.on('file', (name, stream, info) => {
      // Busboy can still emit a part it parsed after reporting an error: never stage that one.
      if (name !== 'file' || pending || malformed) {
        // A form that ends mid-part destroys this stream with an error; the parser reports the
        // same error below, and an unheard one here would crash the process.
        stream.on('error', () => undefined)
        stream.resume()
        return
      }
      upload.fileName = info.filename?.slice(0, 200)
      // Past the limit busboy truncates the part and drains the rest of the request itself, so the
      // client gets its 413 instead of a reset connection.
      pending = files.stage(stream).then(
        (staged) => {
          upload.staged = staged
          if (stream.truncated) failed = new TooLargeError('too large')
        },
        (err: unknown) => {
          failed = err
          stream.resume()
        }
      )
    })
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        failed ??= new HttpError(422, 'validation-failed', `${name}: is too long`, name)
      else upload.fields[name] = value
    })
    // Settles only once the file part is on disk or gone, so a rejected upload (malformed too)
    // never leaves its temp file behind. Runs on 'error' and on the 'close' that follows it.
    const finish = () => {
      void (pending ?? Promise.resolve()).then(() => {
        if (malformed || failed) {
          if (upload.staged) files.discard(upload.staged)
          reject(
            malformed ??
              (failed instanceof TooLargeError
                ? new HttpError(
                    413,
                    'firmware-too-large',
                    `firmware is limited to ${FIRMWARE_MAX_BYTES / 1024 / 1024} MiB`,
                    'file'
                  )
                : failed)
          )
        } else resolve(upload)
      })
    }
    parser.on('error', (err: unknown) => {
      malformed = new HttpError(
        400,
        'malformed-multipart',
        `the upload is malformed: ${String((err as Error).message ?? err)}`
      )
      finish()
    })
    parser.on('close', finish)
    req.on('aborted', () => parser.destroy())
    req.pipe(parser)
  })
}

/** `/api/admin/firmware` (behind the admin session). */
export function firmwareAdminRoutes(firmware: FirmwareService, files: FirmwareFiles): Router {
  const router = Router()
  const idParam = (params: unknown) => parseOr422(firmwareIdParamsSchema, params, 'path').id

  router.get('/', (_req, res) => {
    res.json({ ok: true, firmware: firmware.list() })
  })

  router.post('/', async (req, res) => {
    const upload = await readUpload(req, files)
    if (!upload.staged)
      throw new HttpError(422, 'validation-failed', 'file: a firmware file is required', 'file')
    const version = upload.fields.version
    const notes = upload.fields.notes
    if (notes && notes.length > 1000) {
      files.discard(upload.staged)
      throw new HttpError(
        422,
        'validation-failed',
        'notes: must be at most 1000 characters',
        'notes'
      )
    }
    const release = upload.fields.release ?? 'all'
    if (release !== 'all' && release !== 'none') {
      files.discard(upload.staged)
      throw new HttpError(422, 'validation-failed', 'release: must be all or none', 'release')
    }
    const created: FirmwareView = firmware.add(upload.staged, {
      formVersion: version,
      notes,
      fileName: upload.fileName,
      held: release === 'none'
    })
    res.status(201).json({ ok: true, firmware: created })
  })

  router.get('/:id', (req, res) => {
    const id = idParam(req.params)
    const fw = firmware.get(id)
    if (!fw) throw new HttpError(404, 'firmware-not-found', `no firmware with id ${id}`, 'id')
    res.json({ ok: true, firmware: fw })
  })

  router.delete('/:id', (req, res) => {
    const id = idParam(req.params)
    if (!firmware.remove(id))
      throw new HttpError(404, 'firmware-not-found', `no firmware with id ${id}`, 'id')
    res.json({ ok: true })
  })

  router.post('/:id/release', adminJsonBody, (req, res) => {
    const id = idParam(req.params)
    const body = parseOr422(releaseBodySchema, req.body)
    res.json({ ok: true, firmware: firmware.release(id, body) })
  })

  return router
}
