// The one error an on-call provider client throws when a provider could not say who is on call. `kind` lets
// the sync job decide what to do (retry later, wait `retryAfterMs`, tell an admin to fix credentials); the
// message is for an operator. Messages name what was asked and of which host, never a token, key or full URL
// (feed URLs often carry a secret in their path or query). 'refused' means the destination is not allowed (see
// ops/shared/outbound/).

export type ProviderErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'not_found'
  | 'rate_limited'
  | 'bad_response'
  | 'too_large'
  | 'refused';

export class ProviderError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}
