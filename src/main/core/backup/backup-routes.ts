import busboy from 'busboy'
import { Router } from 'express'
import { createWriteStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { BackupService } from './backup-service'
import { backupNameParamsSchema, exportQuerySchema, restoreBodySchema } from './schemas'

const IMPORT_MAX_BYTES = 2 * 1024 * 1024 * 1024

/** `/api/admin/backups`, `/api/admin/export`, `/api/admin/import` (behind the admin session). */
export function backupAdminRoutes(backups: BackupService): Router {
  const router = Router()

  router.get('/backups', (_req, res) => {
    res.json({ ok: true, backups: backups.list() })
  })

  router.post('/backups', async (_req, res) => {
    res.status(201).json({ ok: true, backup: await backups.backupNow('manual') })
  })

  router.post('/backups/:name/restore', adminJsonBody, (req, res) => {
    const { name } = parseOr422(backupNameParamsSchema, req.params, 'path')
    const { restore_secrets } = parseOr422(restoreBodySchema, req.body ?? {})
    backups.restore(name, { restoreSecrets: restore_secrets })
    res.status(202).json({
      ok: true,
      restart_required: true,
      message: 'restoring: Pastillero restarts with this backup'
    })
  })

  router.get('/export', async (req, res) => {
    const query = parseOr422(exportQuerySchema, req.query, 'query')
    const { stream, cleanup } = await backups.exportArchive({
      includeTelegramToken: query.include_telegram_token === 'true'
    })
    const day = new Date().toISOString().slice(0, 10)
    res.set({
      'Content-Type': 'application/gzip',
      'Content-Disposition': `attachment; filename="pastillero-${day}.tar.gz"`
    })
    try {
      await pipeline(stream, res)
    } finally {
      cleanup()
    }
  })

  router.post('/import', async (req, res) => {
    // In the data folder (private, and swept at the next start if the process dies mid-upload),
    // not the system's temp folder.
    const staging = backups.uploadStaging()
    const file = join(staging, 'import.tar.gz')
    let restoreSecrets = false
    try {
      const received = await new Promise<boolean>((resolve, reject) => {
        let parser: busboy.Busboy
        try {
          parser = busboy({
            headers: req.headers,
            limits: { files: 1, fileSize: IMPORT_MAX_BYTES }
          })
        } catch {
          return reject(
            new HttpError(
              415,
              'multipart-required',
              'send the archive as multipart/form-data with a "file" field'
            )
          )
        }
        let got: Promise<void> | undefined
        parser.on('field', (name, value) => {
          if (name === 'restore_secrets') restoreSecrets = value === 'true'
        })
        parser.on('file', (name, stream) => {
          if (name !== 'file' || got) return void stream.resume()
          got = pipeline(stream, createWriteStream(file, { mode: 0o600 }))
        })
        parser.on('error', () =>
          reject(new HttpError(400, 'malformed-multipart', 'the upload is malformed'))
        )
        parser.on('close', () => {
          if (!got) return resolve(false)
          got.then(() => resolve(true), reject)
        })
        req.pipe(parser)
      })
      if (!received)
        throw new HttpError(
          422,
          'validation-failed',
          'file: an exported archive is required',
          'file'
        )
      await backups.importArchive(file, { restoreSecrets })
      res.status(202).json({
        ok: true,
        restart_required: true,
        message: 'importing: Pastillero restarts with this data'
      })
    } finally {
      rmSync(staging, { recursive: true, force: true })
    }
  })

  return router
}
