// The one error an on-call provider client throws when a provider could not say who is on call. `kind` lets
// the sync job decide what to do (retry later, wait `retryAfterMs`, tell an admin to fix credentials); the
// message is for an operator. Messages name what was asked and of which host, never a token, key or full URL
// (feed URLs often carry a secret in their path or query). The message is Latch's own words; what the provider
// wrote in its error body is `detail`, kept apart because it is the provider's text, not ours, and is shown
// only to those who may read everything ('refused' means the destination is not allowed: see outbound/).

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
  /** The provider's own message from its error body, secrets redacted; absent when it said nothing usable. */
  readonly detail?: string;
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    details: { status?: number; retryAfterMs?: number; detail?: string } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.detail) this.detail = details.detail;
  }
}
