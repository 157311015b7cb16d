// A token bucket: up to `capacity` calls at once, then one more every `refillMs`. Pure; the caller keeps the
// bucket between calls.

export interface TokenBucketPolicy {
  capacity: number;
  refillMs: number;
}

export interface TokenBucket {
  tokens: number;
  /** When `tokens` was counted, in epoch milliseconds. */
  at: number;
}

export type Take =
  { ok: true; bucket: TokenBucket } | { ok: false; bucket: TokenBucket; retryAfterMs: number };

/** Takes one token at `now` from the bucket (a full one when there is none yet). */
export function takeToken(bucket: TokenBucket | undefined, now: number, policy: TokenBucketPolicy): Take {
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  const tokens = bucket
    ? Math.min(policy.capacity, bucket.tokens + elapsed / policy.refillMs)
    : policy.capacity;
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, at: now } };
  return {
    ok: false,
    bucket: { tokens, at: now },
    retryAfterMs: Math.ceil((1 - tokens) * policy.refillMs),
  };
}

/** True when the bucket would be full at `now`: it then says nothing a new bucket would not. */
export const isFull = (bucket: TokenBucket, now: number, policy: TokenBucketPolicy) =>
  bucket.tokens + Math.max(0, now - bucket.at) / policy.refillMs >= policy.capacity;
