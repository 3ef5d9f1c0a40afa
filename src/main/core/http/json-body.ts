import express from 'express'

export const BODY_LIMIT = '16kb'

/**
 * Device requests: parse JSON whatever the Content-Type says. Many ESP32 sketches forget the
 * header, and the seed accepted them.
 */
export const deviceJsonBody = express.json({ limit: BODY_LIMIT, type: () => true, strict: true })

/** Admin requests must say application/json: a cross-site form cannot, which blocks CSRF. */
export const adminJsonBody = express.json({ limit: '64kb', type: 'application/json', strict: true })
