import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import type { RequestConfiguration } from './request-config.js';
import {
  assertRequestable,
  DEFAULT_REQUEST_TTL_MINUTES,
  deriveStatus,
  effectiveStatus,
  parseDenyComment,
  parseRequestDuration,
  parseRequestReason,
  requestTtlMinutes,
  stagePassed,
  type ItemStatus,
} from './requests.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return undefined;
};
const items = (...statuses: ItemStatus[]) => statuses.map((status) => ({ status }));
const config = (over: Partial<RequestConfiguration> = {}): RequestConfiguration => ({
  priority: 0,
  condition: null,
  requestable: true,
  autoApprove: true,
  maxDurationMinutes: 60,
  recommendedDurationMinutes: null,
  requireReason: false,
  reviewerStages: [],
  ...over,
});

describe('deriveStatus', () => {
  it('follows the items: any pending is pending; all approved, all denied, or a mix', () => {
    expect(deriveStatus(items('pending', 'approved'))).toBe('pending');
    expect(deriveStatus(items('approved', 'approved'))).toBe('approved');
    expect(deriveStatus(items('denied'))).toBe('denied');
    expect(deriveStatus(items('approved', 'denied'))).toBe('partially_approved');
  });

  it('reports canceling and lapsing once nothing is pending', () => {
    expect(deriveStatus(items('approved', 'canceled'))).toBe('canceled');
    expect(deriveStatus(items('expired', 'approved'))).toBe('expired');
  });
});

describe('effectiveStatus', () => {
  const deadline = new Date('2030-01-08T00:00:00Z');
  it('shows a pending request past its deadline as expired, at read time', () => {
    expect(effectiveStatus('pending', deadline, new Date('2030-01-07T23:59:59Z'))).toBe('pending');
    expect(effectiveStatus('pending', deadline, deadline)).toBe('expired');
    expect(effectiveStatus('approved', deadline, new Date('2031-01-01T00:00:00Z'))).toBe('approved');
  });
});

describe('stagePassed', () => {
  it('any: one approval; all: every reviewer resolved for the stage', () => {
    expect(stagePassed('any', ['a', 'b'], [])).toBe(false);
    expect(stagePassed('any', ['a', 'b'], ['b'])).toBe(true);
    expect(stagePassed('all', ['a', 'b'], ['b'])).toBe(false);
    expect(stagePassed('all', ['a', 'b'], ['b', 'a'])).toBe(true);
  });
});

describe('assertRequestable', () => {
  it('refuses a missing or non-requestable entry with not_requestable, before any duration check', () => {
    expect(code(() => assertRequestable([{ config: undefined, label: 'x' }], 10))).toBe('not_requestable');
    expect(
      code(() =>
        assertRequestable(
          [
            { config: config({ maxDurationMinutes: 5 }), label: 'a' },
            { config: config({ requestable: false }), label: 'b' },
          ],
          10,
        ),
      ),
    ).toBe('not_requestable');
  });

  it('refuses a duration above the maximum and returns the entries otherwise', () => {
    expect(code(() => assertRequestable([{ config: config(), label: 'a' }], 61))).toBe(
      'duration_exceeds_max',
    );
    const c = config({ maxDurationMinutes: null });
    expect(assertRequestable([{ config: c, label: 'a' }], 100_000)).toEqual([c]);
  });
});

describe('parsing', () => {
  it('reasons: trimmed; blank is null unless required', () => {
    expect(parseRequestReason('  why  ', false)).toBe('why');
    expect(parseRequestReason('   ', false)).toBeNull();
    expect(parseRequestReason(undefined, false)).toBeNull();
    expect(code(() => parseRequestReason(' ', true))).toBe('reason_required');
    expect(code(() => parseRequestReason('x'.repeat(1001), false))).toBe('validation_failed');
  });

  it('deny comments are required', () => {
    expect(parseDenyComment(' no ')).toBe('no');
    expect(code(() => parseDenyComment('  '))).toBe('validation_failed');
    expect(code(() => parseDenyComment(undefined))).toBe('validation_failed');
  });

  it('durations are whole positive minutes', () => {
    expect(parseRequestDuration(90)).toBe(90);
    for (const bad of [0, -1, 1.5]) expect(code(() => parseRequestDuration(bad))).toBe('validation_failed');
  });

  it('the request lifetime comes from LATCH_REQUEST_TTL_MINUTES, 7 days by default', () => {
    expect(requestTtlMinutes({})).toBe(DEFAULT_REQUEST_TTL_MINUTES);
    expect(DEFAULT_REQUEST_TTL_MINUTES).toBe(7 * 24 * 60);
    expect(requestTtlMinutes({ LATCH_REQUEST_TTL_MINUTES: '30' })).toBe(30);
    expect(() => requestTtlMinutes({ LATCH_REQUEST_TTL_MINUTES: 'soon' })).toThrow(
      /LATCH_REQUEST_TTL_MINUTES/,
    );
    expect(() => requestTtlMinutes({ LATCH_REQUEST_TTL_MINUTES: '0' })).toThrow();
  });
});
