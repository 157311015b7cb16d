import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { grantEnd, grantStatus, grantWindow } from './grants.js';

const now = new Date('2026-01-01T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('grant status', () => {
  it('is derived from the window and how the grant ended', () => {
    const base = { startsAt: at('2026-01-01T11:00:00Z'), expiresAt: null, endedAt: null, endReason: null };
    expect(grantStatus(base, now)).toBe('active');
    expect(grantStatus({ ...base, startsAt: at('2026-01-01T13:00:00Z') }, now)).toBe('scheduled');
    expect(grantStatus({ ...base, expiresAt: now }, now)).toBe('expired');
    expect(grantStatus({ ...base, expiresAt: at('2026-01-01T12:00:00.001Z') }, now)).toBe('active');
    expect(
      grantStatus({ ...base, endedAt: at('2026-01-01T11:30:00Z'), endReason: 'no longer needed' }, now),
    ).toBe('revoked');
    expect(grantStatus({ ...base, endedAt: at('2026-01-01T11:30:00Z'), endReason: 'expired' }, now)).toBe(
      'expired',
    );
  });

  it('ends at the earlier of expiry and end', () => {
    expect(grantEnd(null, null)).toBeNull();
    expect(grantEnd(at('2026-01-02T00:00:00Z'), null)).toEqual(at('2026-01-02T00:00:00Z'));
    expect(grantEnd(at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-01T00:00:00Z'),
    );
  });
});

describe('grant window', () => {
  it('starts now with no end by default, or ends after the duration', () => {
    expect(grantWindow({}, now)).toEqual({ startsAt: now, expiresAt: null });
    expect(grantWindow({ durationMinutes: 90 }, now).expiresAt).toEqual(at('2026-01-01T13:30:00Z'));
    expect(grantWindow({ startsAt: '2026-01-02T00:00:00Z', durationMinutes: 60 }, now)).toEqual({
      startsAt: at('2026-01-02T00:00:00Z'),
      expiresAt: at('2026-01-02T01:00:00Z'),
    });
  });

  it('ends at the last timestamp the API can write, at the latest', () => {
    expect(grantWindow({ startsAt: '9999-12-31T23:00:00Z', durationMinutes: 59 }, now).expiresAt).toEqual(
      at('9999-12-31T23:59:00Z'),
    );
  });

  it('refuses empty, contradictory, past or unwritable windows', () => {
    for (const input of [
      { durationMinutes: 0 },
      { durationMinutes: 1.5 },
      { expiresAt: '2026-01-01T11:00:00Z' },
      { durationMinutes: 5, expiresAt: '2026-01-02T00:00:00Z' },
      { startsAt: '2025-01-01T00:00:00Z' },
      { startsAt: '9999-12-31T23:00:00Z', durationMinutes: 61 },
    ]) {
      expect(() => grantWindow(input, now), JSON.stringify(input)).toThrow(AppError);
    }
  });
});
