import { z } from 'zod'

/** GET /api/admin/logs: how many of the newest lines (default 200). */
export const logQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
})

/** One structured log line; lines carry their own extra fields (redacted where secret). */
const logLineSchema = z.looseObject({
  time: z.string(),
  level: z.string(),
  scope: z.string(),
  msg: z.string()
})

export const logLinesResponseSchema = z.object({
  ok: z.literal(true),
  lines: z.array(logLineSchema).meta({ description: 'Oldest first, the newest last' })
})
