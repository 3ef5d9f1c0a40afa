import { z } from 'zod'

/**
 * One documented HTTP operation. Each feature lists its own next to its schemas (in its
 * schemas.ts), built from the zod schemas its routes validate with; http/openapi.ts only
 * assembles them into the document, so the docs cannot drift from what the server accepts.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete'
  path: string
  summary: string
  tag: 'device' | 'admin' | 'public'
  body?: z.ZodType
  /** The body may be left out (its fields all have defaults). */
  bodyOptional?: boolean
  query?: z.ZodObject
  responses: Record<number, { description: string; schema?: z.ZodType }>
}

/** The answer of an operation that only confirms: `{ ok: true }`. */
export const okSchema = z.object({ ok: z.literal(true) })
