import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_INTERVAL_MS, nextSyncAfterFailure, nextSyncAfterSuccess } from './sync-timing.js';

const now = new Date('2026-01-01T00:00:00Z');
const plus = (ms: number) => new Date(now.getTime() + ms);

describe('sync timing', () => {
  it('fetches again after the interval when nothing is due sooner', () => {
    expect(nextSyncAfterSuccess(now, DEFAULT_SYNC_INTERVAL_MS, plus(14 * 86400_000), [null])).toEqual(
      plus(DEFAULT_SYNC_INTERVAL_MS),
    );
  });
  it('comes back sooner to write grants ahead, or before the stored shifts run out', () => {
    expect(
      nextSyncAfterSuccess(now, DEFAULT_SYNC_INTERVAL_MS, plus(86400_000), [plus(40_000), null]),
    ).toEqual(plus(40_000));
    expect(nextSyncAfterSuccess(now, 86400_000, plus(120_000), [])).toEqual(plus(60_000));
  });
  it('backs off after failures, doubling up to the interval', () => {
    const delays = [1, 2, 3, 4, 10].map(
      (n) => nextSyncAfterFailure(now, n, DEFAULT_SYNC_INTERVAL_MS, []).getTime() - now.getTime(),
    );
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000, DEFAULT_SYNC_INTERVAL_MS]);
  });
  it('retries no later than grants must be written ahead', () => {
    expect(nextSyncAfterFailure(now, 5, DEFAULT_SYNC_INTERVAL_MS, [plus(5_000)])).toEqual(plus(5_000));
  });
});
