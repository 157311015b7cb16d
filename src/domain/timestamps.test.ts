import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARLIEST_TIMESTAMP_MS, isTimestamp, LATEST_TIMESTAMP_MS, timestampMs } from './timestamps.js';

describe('timestamps', () => {
  it('accepts RFC 3339 date-times with an offset, as the instant they denote', () => {
    const cases: [string, string][] = [
      ['2026-06-30T23:59:59Z', '2026-06-30T23:59:59.000Z'],
      ['2026-06-30t23:59:59z', '2026-06-30T23:59:59.000Z'],
      ['2026-06-30 23:59:59Z', '2026-06-30T23:59:59.000Z'],
      ['2026-01-01T00:00:00+01:00', '2025-12-31T23:00:00.000Z'],
      ['2026-01-01T00:00:00-23:59', '2026-01-01T23:59:00.000Z'],
      ['2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.123Z'],
      ['2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.500Z'],
      ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
      ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
      ['1969-12-31T23:00:00-01:00', '1970-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ];
    for (const [text, iso] of cases) expect(timestampMs(text), text).toBe(Date.parse(iso));
  });

  it('refuses leap seconds, impossible dates, years outside 1970-9999 and anything without an offset', () => {
    for (const text of [
      '2026-06-30T23:59:60Z',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01T00:00:00+01:60',
      '+010000-01-01T00:00:00Z',
      '10000-01-01T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '0050-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:30:00+01:00',
      '9999-12-31T23:00:00-05:00',
      '2026-01-01T00:00:00',
      '2026-01-01',
      '2026-01-01T00:00Z',
      '2026-01-01\t00:00:00Z',
      '2026-01-01T00:00:00,5Z',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00.1234567890Z',
      ' 2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00Z\n',
      '２０２６-01-01T00:00:00Z',
      '',
    ]) {
      expect(timestampMs(text), JSON.stringify(text)).toBeNull();
      expect(isTimestamp(text)).toBe(false);
    }
    for (const value of [undefined, null, 0, Date.now(), new Date(), {}])
      expect(isTimestamp(value)).toBe(false);
  });

  it('lets builtin rotation configs leave out the seconds, and nothing else', () => {
    expect(timestampMs('2030-01-07T09:00Z', { secondsOptional: true })).toBe(
      Date.parse('2030-01-07T09:00:00Z'),
    );
    expect(timestampMs('2030-01-07T24:00Z', { secondsOptional: true })).toBeNull();
    expect(timestampMs('2030-01-07', { secondsOptional: true })).toBeNull();
  });

  it('agrees with new Date on every text it accepts, so callers may convert with either', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .record({
        year: fc.integer({ min: 1960, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        month: two(13),
        day: two(32),
        sep: fc.constantFrom('T', 't', ' '),
        hour: two(24),
        minute: two(60),
        second: fc.option(two(60)),
        fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
        zone: fc.oneof(
          fc.constantFrom('Z', 'z'),
          fc.tuple(fc.constantFrom('+', '-'), two(24), two(60)).map(([s, h, m]) => `${s}${h}:${m}`),
        ),
      })
      .map(
        (p) =>
          `${p.year}-${p.month}-${p.day}${p.sep}${p.hour}:${p.minute}` +
          `${p.second === null ? '' : `:${p.second}${p.fraction === null ? '' : `.${p.fraction}`}`}${p.zone}`,
      );
    fc.assert(
      fc.property(text, fc.boolean(), (t, secondsOptional) => {
        const ms = timestampMs(t, { secondsOptional });
        if (ms === null) return;
        expect(new Date(t).getTime(), t).toBe(ms);
        expect(ms).toBeGreaterThanOrEqual(EARLIEST_TIMESTAMP_MS);
        expect(ms).toBeLessThanOrEqual(LATEST_TIMESTAMP_MS);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts every instant in range as toISOString writes it', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_TIMESTAMP_MS, max: LATEST_TIMESTAMP_MS }), (ms) => {
        expect(timestampMs(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });
});
