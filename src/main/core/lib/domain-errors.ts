/**
 * What a service says when it refuses: the kind of refusal, a machine code and a message (and
 * the field at fault, when one is). Services stay unaware of HTTP; http/errors.ts turns each
 * kind into its status and the one error envelope, so the API answers exactly as it did when
 * services threw HTTP errors themselves.
 */
export type DomainErrorKind =
  'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'too-large' | 'too-many'

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The input breaks a rule (HTTP 422). */
export class Invalid extends DomainError {
  readonly kind = 'invalid'
}

/** The thing named does not exist (HTTP 404). */
export class NotFound extends DomainError {
  readonly kind = 'not-found'
}

/** The request clashes with the current state: a name taken, a version moved on (HTTP 409). */
export class Conflict extends DomainError {
  readonly kind = 'conflict'
}

/** Known caller, not allowed to do this (HTTP 403). */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden'
}

/** No valid credential (HTTP 401). */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated'
}

/** The input is bigger than allowed (HTTP 413). */
export class TooLarge extends DomainError {
  readonly kind = 'too-large'
}

/** Too many requests; try again in `retryAfterS` seconds (HTTP 429 with Retry-After). */
export class TooMany extends DomainError {
  readonly kind = 'too-many'
  constructor(
    code: string,
    message: string,
    readonly retryAfterS: number
  ) {
    super(code, message)
  }
}
