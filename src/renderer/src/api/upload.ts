import { ApiError, apiErrorFrom } from './client'

export interface UploadProgress {
  loaded: number
  total: number
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void
  signal?: AbortSignal
}

/**
 * POSTs a multipart form with XMLHttpRequest, because fetch cannot report upload progress.
 * Answers and failures come out exactly as from apiRequest: the parsed body, or an ApiError with
 * the server's envelope (a 401 also sends the app to the login page).
 */
export function uploadForm<T>(
  path: string,
  form: FormData,
  options: UploadOptions = {}
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.withCredentials = true
    xhr.responseType = 'text'
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) options.onProgress?.({ loaded: ev.loaded, total: ev.total })
    }
    xhr.onload = () => {
      let data: unknown
      try {
        data = JSON.parse(xhr.responseText)
      } catch {
        data = undefined
      }
      const ok = xhr.status >= 200 && xhr.status < 300 && (data as { ok?: unknown })?.ok === true
      if (ok) resolve(data as T)
      else reject(apiErrorFrom(xhr.status, data))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network-error', 'the server could not be reached'))
    xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'))
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('the upload was cancelled', 'AbortError'))
        return
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    xhr.send(form)
  })
}
