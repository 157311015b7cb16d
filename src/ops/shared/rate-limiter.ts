import { isFull, takeToken, type TokenBucket, type TokenBucketPolicy } from '../../domain/token-bucket.js';

// Token buckets by key (a schedule id, say), kept in this process. Full buckets are dropped as others are
// taken, so the map holds only keys used lately.

const PRUNE_ABOVE = 1000;

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(readonly policy: TokenBucketPolicy) {}

  /** Takes one token for `key`; when there is none, how long until there is. */
  take(key: string, now: Date): { ok: true } | { ok: false; retryAfterMs: number } {
    const at = now.getTime();
    if (this.buckets.size > PRUNE_ABOVE)
      for (const [k, b] of this.buckets) if (isFull(b, at, this.policy)) this.buckets.delete(k);
    const taken = takeToken(this.buckets.get(key), at, this.policy);
    this.buckets.set(key, taken.bucket);
    return taken.ok ? { ok: true } : { ok: false, retryAfterMs: taken.retryAfterMs };
  }
}
