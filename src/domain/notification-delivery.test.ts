import { describe, expect, it } from 'vitest';
import { errorText, outcomeOf, retryDelayMs } from './notification-delivery.js';

const policy = { baseMs: 1000, capMs: 10_000, maxAttempts: 4 };
const now = new Date('2030-01-01T00:00:00Z');

describe('retry backoff', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, policy))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(1000, policy)).toBe(10_000);
    expect(retryDelayMs(0, policy)).toBe(1000);
  });
});

describe('attempt outcome', () => {
  it('marks a success sent', () => {
    expect(outcomeOf({ ok: true }, 1, now, policy)).toEqual({ status: 'sent' });
  });

  it('schedules a retry after a failure, until the attempts run out', () => {
    expect(outcomeOf({ ok: false, error: 'HTTP 500' }, 2, now, policy)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 2000),
      error: 'HTTP 500',
    });
    expect(outcomeOf({ ok: false, error: 'HTTP 500' }, 4, now, policy)).toEqual({
      status: 'failed',
      error: 'HTTP 500',
    });
  });

  it('does not retry what waiting cannot fix', () => {
    expect(outcomeOf({ ok: false, error: 'no e-mail channel', permanent: true }, 1, now, policy)).toEqual({
      status: 'skipped',
      error: 'no e-mail channel',
    });
  });

  it('keeps error texts short and on one line', () => {
    expect(errorText(new Error('a\n  b'))).toBe('a b');
    expect(errorText('x'.repeat(900))).toHaveLength(500);
  });
});
