import type { JsonResponse } from './http'

/** Uploads a file to the firmware store the way the dashboard does (multipart/form-data). */
export async function uploadFirmware(
  url: string,
  cookie: string,
  bytes: Buffer,
  fields: { version?: string; notes?: string; fileName?: string } = {}
): Promise<JsonResponse<any>> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)]), fields.fileName ?? 'firmware.bin')
  if (fields.version !== undefined) form.append('version', fields.version)
  if (fields.notes !== undefined) form.append('notes', fields.notes)
  const res = await fetch(`${url}/api/admin/firmware`, {
    method: 'POST',
    headers: { cookie },
    body: form
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}
