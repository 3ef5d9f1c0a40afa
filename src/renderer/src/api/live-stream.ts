import { STREAM_EVENT_NAMES, type StreamMessage } from './types'

/** The part of EventSource this module uses, so tests can hand in a fake. */
export interface EventSourceLike {
  readonly readyState: number
  onopen: ((this: never, ev: Event) => unknown) | null
  onerror: ((this: never, ev: Event) => unknown) | null
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void
  close(): void
}

export type StreamState = 'idle' | 'connecting' | 'open' | 'reconnecting'

export interface LiveStreamOptions {
  url?: string
  createEventSource?: (url: string) => EventSourceLike
  onMessage: (message: StreamMessage) => void
  /** Every (re)connection; `reconnected` is false only for the first one. */
  onOpen?: (reconnected: boolean) => void
  onStateChange?: (state: StreamState) => void
  /**
   * The server closed the stream for good (EventSource gave up, e.g. on a 401). Resolve to false
   * to stop retrying (the session is gone); true to reconnect after a back-off.
   */
  shouldReconnect?: () => Promise<boolean>
  retryDelaysMs?: readonly number[]
}

const CLOSED = 2

/**
 * Wraps EventSource on /api/admin/stream. The browser retries dropped connections by itself
 * (the server sends `retry: 3000`); when it gives up for good we reconnect with a back-off.
 * Each successful (re)open is reported so the caller can refetch what it may have missed.
 */
export class LiveStream {
  private source: EventSourceLike | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private attempt = 0
  private openedBefore = false
  private running = false
  private state: StreamState = 'idle'

  constructor(private readonly options: LiveStreamOptions) {}

  get currentState(): StreamState {
    return this.state
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.openedBefore = false
    this.attempt = 0
    this.connect()
  }

  stop(): void {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.source?.close()
    this.source = undefined
    this.setState('idle')
  }

  private setState(state: StreamState): void {
    if (state === this.state) return
    this.state = state
    this.options.onStateChange?.(state)
  }

  private connect(): void {
    const url = this.options.url ?? '/api/admin/stream'
    const create =
      this.options.createEventSource ??
      ((u: string) => new EventSource(u, { withCredentials: true }) as unknown as EventSourceLike)
    this.setState(this.openedBefore ? 'reconnecting' : 'connecting')
    const source = create(url)
    this.source = source

    source.onopen = () => {
      if (this.source !== source) return
      const reconnected = this.openedBefore
      this.openedBefore = true
      this.attempt = 0
      this.setState('open')
      this.options.onOpen?.(reconnected)
    }
    source.onerror = () => {
      if (this.source !== source || !this.running) return
      if (source.readyState === CLOSED) {
        source.close()
        this.source = undefined
        this.scheduleReconnect()
      } else {
        // The browser is retrying on its own; say so until it opens again.
        this.setState(this.openedBefore ? 'reconnecting' : 'connecting')
      }
    }
    for (const name of STREAM_EVENT_NAMES) {
      source.addEventListener(name, (ev: MessageEvent) => {
        if (this.source !== source) return
        let data: unknown
        try {
          data = JSON.parse(String(ev.data))
        } catch {
          return // a frame we cannot read is skipped; the next refetch repairs the state
        }
        this.options.onMessage({ name, data } as StreamMessage)
      })
    }
  }

  private scheduleReconnect(): void {
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000]
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 30_000
    this.attempt++
    this.setState('reconnecting')
    this.timer = setTimeout(async () => {
      this.timer = undefined
      if (!this.running) return
      let again = true
      try {
        again = this.options.shouldReconnect ? await this.options.shouldReconnect() : true
      } catch {
        again = true // the check itself failed (server down): keep trying
      }
      if (!this.running) return
      if (again) this.connect()
      else this.stop()
    }, delay)
  }
}
