import { describe, expect, it } from 'vitest';
import {
  activationStatus,
  DEFAULT_DURATION_MINUTES,
  defaultSettings,
  endReasonFrom,
  isBreakGlassUser,
  isReviewOverdue,
  parseDuration,
  parseReason,
  parseReviewComment,
} from './break-glass.js';
import { AppError } from './errors.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return undefined;
};

describe('reason', () => {
  it('trims and accepts 1 to 1000 characters', () => {
    expect(parseReason('  db down \n')).toBe('db down');
    expect(parseReason('x'.repeat(1000))).toHaveLength(1000);
  });
  it('refuses missing, blank and non-string reasons with reason_required', () => {
    for (const raw of [undefined, null, '', '   ', '\n\t', 42]) {
      expect(
        code(() => parseReason(raw)),
        JSON.stringify(raw)?.slice(0, 20),
      ).toBe('reason_required');
    }
  });
  it('refuses an over-long reason as a field error naming reason, not as a missing one', () => {
    for (const raw of ['x'.repeat(1001), ` ${'x'.repeat(260_000)} `]) {
      const err = (() => {
        try {
          parseReason(raw);
        } catch (e) {
          return e as AppError;
        }
      })();
      expect(err?.code).toBe('validation_failed');
      expect(err?.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    }
  });
});

describe('duration', () => {
  it('defaults to 720 minutes and accepts 5 to 1440', () => {
    expect(DEFAULT_DURATION_MINUTES).toBe(720);
    expect(defaultSettings()).toEqual({ userIds: [], groupIds: [], durationMinutes: 720 });
    expect(parseDuration(undefined)).toBe(720);
    expect(parseDuration(5)).toBe(5);
    expect(parseDuration(1440)).toBe(1440);
  });
  it('refuses values outside the bounds or not whole minutes', () => {
    for (const d of [4, 1441, 0, -1, 10.5, Number.NaN])
      expect(
        code(() => parseDuration(d)),
        String(d),
      ).toBe('validation_failed');
  });
});

describe('review comment and end reason', () => {
  it('requires a comment of 1 to 2000 characters once trimmed', () => {
    expect(parseReviewComment('  fine ')).toBe('fine');
    expect(code(() => parseReviewComment('   '))).toBe('validation_failed');
    expect(code(() => parseReviewComment('x'.repeat(2001)))).toBe('validation_failed');
  });
  it("defaults a person's end reason and never lets it read as a system reason", () => {
    expect(endReasonFrom(undefined)).toBe('ended');
    expect(endReasonFrom('   ')).toBe('ended');
    expect(endReasonFrom(' fixed ')).toBe('fixed');
    expect(endReasonFrom('superseded')).toBe('ended: superseded');
    expect(endReasonFrom('expired')).toBe('ended: expired');
  });
});

describe('status and overdue', () => {
  const now = new Date('2025-01-10T12:00:00Z');
  const hours = (h: number) => new Date(now.getTime() + h * 3600_000);
  it('is active until it ends or expires, whichever comes first', () => {
    expect(activationStatus({ expiresAt: hours(1), endedAt: null }, now)).toBe('active');
    expect(activationStatus({ expiresAt: now, endedAt: null }, now)).toBe('expired');
    expect(activationStatus({ expiresAt: hours(1), endedAt: now }, now)).toBe('ended');
    expect(activationStatus({ expiresAt: hours(-2), endedAt: hours(-3) }, now)).toBe('ended');
  });
  it('is overdue when pending and activated more than 72 hours ago', () => {
    expect(isReviewOverdue({ reviewStatus: 'pending', activatedAt: hours(-73) }, now)).toBe(true);
    expect(isReviewOverdue({ reviewStatus: 'pending', activatedAt: hours(-72) }, now)).toBe(false);
    expect(isReviewOverdue({ reviewStatus: 'pending', activatedAt: hours(-1) }, now)).toBe(false);
    expect(isReviewOverdue({ reviewStatus: 'justified', activatedAt: hours(-100) }, now)).toBe(false);
  });
});

describe('eligibility', () => {
  it('counts named users and effective members of named groups', () => {
    const settings = { userIds: ['usr_a'], groupIds: ['grp_oncall'], durationMinutes: 60 };
    const memberOf = (groups: string[]) => (g: string) => groups.includes(g);
    expect(isBreakGlassUser(settings, 'usr_a', memberOf([]))).toBe(true);
    expect(isBreakGlassUser(settings, 'usr_b', memberOf(['grp_oncall']))).toBe(true);
    expect(isBreakGlassUser(settings, 'usr_b', memberOf(['grp_other']))).toBe(false);
    expect(isBreakGlassUser(defaultSettings(), 'usr_a', () => true)).toBe(false);
  });
});
