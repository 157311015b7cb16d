// Typed errors with the stable codes of the API contract. Every failure a caller can cause is one of these;
// the HTTP layer turns them into problem+json and anything else into a logged 500.

export type ErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'validation_failed'
  | 'conflict'
  | 'nesting_cycle'
  | 'reason_required'
  | 'not_break_glass_user'
  | 'not_requestable'
  | 'duration_exceeds_max'
  | 'request_not_pending'
  | 'request_pending'
  | 'self_review_forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'provider_unavailable'
  | 'csrf_failed'
  | 'outside_known_window'
  | 'rate_limited'
  | 'backup_not_supported'
  | 'unavailable'
  | 'index_behind'
  | 'idempotency_key_reused'
  | 'malformed_request'
  | 'request_timeout'
  | 'precondition_failed'
  | 'uri_too_long'
  | 'range_not_satisfiable'
  | 'header_too_large'
  | 'managed_by_idp'
  | 'target_unavailable';

const statusByCode: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  conflict: 409,
  nesting_cycle: 409,
  reason_required: 400,
  not_break_glass_user: 403,
  not_requestable: 403,
  duration_exceeds_max: 400,
  request_not_pending: 409,
  request_pending: 409,
  self_review_forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  provider_unavailable: 502,
  csrf_failed: 403,
  outside_known_window: 409,
  rate_limited: 429,
  backup_not_supported: 409,
  unavailable: 503,
  index_behind: 503,
  idempotency_key_reused: 409,
  malformed_request: 400,
  request_timeout: 408,
  precondition_failed: 412,
  uri_too_long: 414,
  range_not_satisfiable: 416,
  header_too_large: 431,
  managed_by_idp: 409,
  target_unavailable: 502,
};

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Members added to the problem document, such as the id of the thing the refusal points at. */
    readonly extensions: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }
}

/** A refusal the caller may try again after `retryAfterSeconds` (sent as Retry-After). */
export class RetryLaterError extends AppError {
  constructor(
    code: 'rate_limited' | 'unavailable' | 'index_behind',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

/** Too many calls of one kind. */
export class RateLimitedError extends RetryLaterError {
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', message, retryAfterSeconds);
  }
}

/** The database cannot be reached right now; nothing was changed, or the caller cannot know (retry with the same Idempotency-Key). */
export const unavailable = (message = 'the database is unavailable; try again shortly') =>
  new RetryLaterError('unavailable', message, 1);

/** The same access is already asked for and waiting: the caller is pointed at that request. */
export const requestPending = (requestId: string, what: string) =>
  new AppError('request_pending', `${what} is already requested and waiting for a decision`, [], {
    requestId,
  });

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} '${id}' was not found`);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);
