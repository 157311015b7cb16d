import { describe, expect, it } from 'vitest';
import { IcalFeedError, icalShifts, MAX_FEED_BYTES } from './ical-shifts.js';

// Feeds that cannot be turned into shifts are refused with a typed error whose message says why; the work a
// feed can cause is bounded.

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Latch tests//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, ...lines, 'END:VEVENT'];
const read = (text: string, from: string, until: string, opts = {}) =>
  icalShifts(text, new Date(from), new Date(until), opts).shifts;

describe('iCalendar shifts: bad feeds', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof IcalFeedError ? { problem: err.problem, message: err.message } : err;
    }
    throw new Error('expected the feed to be refused');
  };
  const window = ['2021-01-01T00:00:00Z', '2021-02-01T00:00:00Z'] as const;

  it('refuses a feed over 5 MB, counting bytes, not characters', () => {
    const big = ics(
      ...vevent('big', 'DTSTART:20210101T000000Z', `DESCRIPTION:${'é'.repeat(MAX_FEED_BYTES / 2)}`),
    );
    expect(big.length).toBeLessThan(MAX_FEED_BYTES);
    expect(refusal(() => read(big, ...window))).toMatchObject({ problem: 'too_large', message: /over 5 MB/ });
  });

  it('refuses expansions beyond 50,000 occurrences', () => {
    const text = ics(...vevent('m', 'DTSTART:20210101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'));
    expect(read(text, '2021-01-01T00:00:00Z', '2021-01-02T00:00:00Z')).toHaveLength(1440);
    expect(refusal(() => read(text, '2021-01-01T00:00:00Z', '2021-03-01T00:00:00Z'))).toMatchObject({
      problem: 'too_many_occurrences',
      message: /more than 50000 occurrences/,
    });
  });

  it('ends the search of a rule no date satisfies at the window, and refuses one that searches too long', () => {
    // ical.js looks for the next 31 February forever; the search stops past the window's end instead.
    const never = ics(
      ...vevent('n', 'DTSTART:20210101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31'),
    );
    expect(read(never, ...window).map((s) => s.start.toISOString())).toEqual(['2021-01-01T09:00:00.000Z']);
    // Every second of the window is a candidate: more than the feed may cost.
    const secondly = never.replace('FREQ=DAILY', 'FREQ=SECONDLY');
    expect(refusal(() => read(secondly, ...window))).toMatchObject({
      problem: 'too_many_occurrences',
      message: /more than 200000 steps/,
    });
  });

  it('says what is wrong with a malformed feed, and on which line', () => {
    expect(
      refusal(() =>
        read('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is not a property\r\nEND:VCALENDAR', ...window),
      ),
    ).toMatchObject({
      problem: 'malformed',
      message: /no token.*line 3/,
    });
    expect(refusal(() => read('<!DOCTYPE html><html></html>', ...window))).toMatchObject({
      problem: 'malformed',
    });
    expect(refusal(() => read('BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD', ...window))).toMatchObject({
      message: /no VCALENDAR/,
    });
    expect(refusal(() => read(ics(...vevent('b', 'DTSTART:2021')), ...window))).toMatchObject({
      problem: 'malformed',
      message: /could not be read/,
    });
  });

  it('refuses an unknown zone in the options', () => {
    expect(() => read(ics(), ...window, { timezone: 'Mars/Base' })).toThrow(/unknown time zone 'Mars\/Base'/);
  });
});
