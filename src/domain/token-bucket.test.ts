import { describe, expect, it } from 'vitest';
import { takeToken, type TokenBucket } from './token-bucket.js';

const policy = { capacity: 3, refillMs: 1000 };

describe('takeToken', () => {
  it('allows a burst of `capacity`, then one per refill interval, and says how long to wait', () => {
    let bucket: TokenBucket | undefined;
    const take = (at: number) => {
      const r = takeToken(bucket, at, policy);
      bucket = r.bucket;
      return r.ok ? 'ok' : r.retryAfterMs;
    };
    expect([take(0), take(0), take(0), take(0)]).toEqual(['ok', 'ok', 'ok', 1000]);
    expect(take(400)).toBe(600);
    expect(take(1000)).toBe('ok');
    expect(take(1000)).toBe(1000);
    // A long pause refills no more than the capacity.
    expect([take(60_000), take(60_000), take(60_000), take(60_000)]).toEqual(['ok', 'ok', 'ok', 1000]);
  });
});
