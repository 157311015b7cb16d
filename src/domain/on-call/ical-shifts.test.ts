import { describe, expect, it } from 'vitest';
import { icalShifts } from './ical-shifts.js';
import type { ProviderShift } from './shifts.js';

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Latch tests//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (uid: string, ...lines: string[]) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20210101T000000Z',
  ...lines,
  'END:VEVENT',
];
const read = (text: string, from: string, until: string, opts = {}) =>
  icalShifts(text, new Date(from), new Date(until), opts).shifts;
const at = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const spans = (list: ProviderShift[]) => list.map((s) => [at(s.start), at(s.end)]);
const starts = (list: ProviderShift[]) => list.map((s) => at(s.start));

// US Eastern rules under a name Intl does not know: only the VTIMEZONE can give these offsets.
const EASTERN = [
  'BEGIN:VTIMEZONE',
  'TZID:US-Eastern',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

describe('iCalendar shifts: time zones and DST', () => {
  const days = (tzid: string, ...zone: string[]) =>
    ics(
      ...zone,
      ...vevent(
        'day',
        `DTSTART;TZID=${tzid}:20210312T090000`,
        `DTEND;TZID=${tzid}:20210312T170000`,
        'RRULE:FREQ=DAILY',
        'SUMMARY:@Day',
      ),
      ...vevent(
        'night',
        `DTSTART;TZID=${tzid}:20210312T220000`,
        `DTEND;TZID=${tzid}:20210313T060000`,
        'RRULE:FREQ=DAILY;COUNT=3',
        'SUMMARY:@Night',
      ),
    );
  const expected = {
    day: [
      ['2021-03-12T14:00:00Z', '2021-03-12T22:00:00Z'],
      ['2021-03-13T14:00:00Z', '2021-03-13T22:00:00Z'],
      ['2021-03-14T13:00:00Z', '2021-03-14T21:00:00Z'],
      ['2021-03-15T13:00:00Z', '2021-03-15T21:00:00Z'],
    ],
    // 22:00-06:00 every night: the night of the change is 7 hours long.
    night: [
      ['2021-03-13T03:00:00Z', '2021-03-13T11:00:00Z'],
      ['2021-03-14T03:00:00Z', '2021-03-14T10:00:00Z'],
      ['2021-03-15T02:00:00Z', '2021-03-15T10:00:00Z'],
    ],
  };
  const byLabel = (list: ProviderShift[], label: string) => spans(list.filter((s) => s.label === label));

  it('keeps local times across the 2021-03-14 change with a VTIMEZONE', () => {
    const shifts = read(days('US-Eastern', ...EASTERN), '2021-03-12T00:00:00Z', '2021-03-16T00:00:00Z');
    expect(byLabel(shifts, '@Day')).toEqual(expected.day);
    expect(byLabel(shifts, '@Night')).toEqual(expected.night);
  });

  it('reads an IANA TZID that has no VTIMEZONE through Intl, with the same result', () => {
    const shifts = read(days('America/New_York'), '2021-03-12T00:00:00Z', '2021-03-16T00:00:00Z');
    expect(byLabel(shifts, '@Day')).toEqual(expected.day);
    expect(byLabel(shifts, '@Night')).toEqual(expected.night);
  });

  it("reads an UNTIL without a zone in the event's zone, keeping the last occurrence", () => {
    const text = ics(
      ...vevent(
        'u',
        'DTSTART;TZID=America/New_York:20210301T090000',
        'DTEND;TZID=America/New_York:20210301T100000',
        'RRULE:FREQ=DAILY;UNTIL=20210303T090000',
      ),
    );
    expect(starts(read(text, '2021-02-01T00:00:00Z', '2021-04-01T00:00:00Z'))).toEqual([
      '2021-03-01T14:00:00Z',
      '2021-03-02T14:00:00Z',
      '2021-03-03T14:00:00Z',
    ]);
  });

  it('reads dates and floating times in the given zone, else X-WR-TIMEZONE, else UTC', () => {
    const body = [
      ...vevent('d', 'DTSTART;VALUE=DATE:20210701', 'SUMMARY:@AllDay'),
      ...vevent('f', 'DTSTART:20210701T090000', 'DTEND:20210701T100000', 'SUMMARY:@Floating'),
    ];
    const window = ['2021-06-29T00:00:00Z', '2021-07-03T00:00:00Z'] as const;
    expect(spans(read(ics(...body), ...window))).toEqual([
      ['2021-07-01T00:00:00Z', '2021-07-02T00:00:00Z'],
      ['2021-07-01T09:00:00Z', '2021-07-01T10:00:00Z'],
    ]);
    const berlin = ics('X-WR-TIMEZONE:Europe/Berlin', ...body);
    expect(spans(read(berlin, ...window))).toEqual([
      ['2021-06-30T22:00:00Z', '2021-07-01T22:00:00Z'],
      ['2021-07-01T07:00:00Z', '2021-07-01T08:00:00Z'],
    ]);
    expect(spans(read(berlin, ...window, { timezone: 'Asia/Tokyo' }))).toEqual([
      ['2021-06-30T15:00:00Z', '2021-07-01T15:00:00Z'],
      ['2021-07-01T00:00:00Z', '2021-07-01T01:00:00Z'],
    ]);
  });
});

describe('iCalendar shifts: recurrence', () => {
  it('stops at COUNT, with BYDAY and INTERVAL', () => {
    const text = ics(
      ...vevent(
        'w',
        'DTSTART:20210301T090000Z',
        'DTEND:20210301T170000Z',
        'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3',
      ),
      ...vevent('i', 'DTSTART:20210401T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3'),
    );
    expect(starts(read(text, '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z'))).toEqual([
      '2021-03-01T09:00:00Z',
      '2021-03-03T09:00:00Z',
      '2021-03-08T09:00:00Z',
      '2021-04-01T09:00:00Z',
      '2021-04-03T09:00:00Z',
      '2021-04-05T09:00:00Z',
    ]);
  });

  it('leaves out EXDATEs, whatever zone they are written in', () => {
    const text = ics(
      ...vevent(
        'x',
        'DTSTART:20210301T090000Z',
        'DTEND:20210301T170000Z',
        'RRULE:FREQ=DAILY;COUNT=5',
        'EXDATE:20210303T090000Z,20210304T090000Z',
      ),
      // 09:00 in Warsaw (CET) is 08:00Z: the EXDATE names that occurrence.
      ...vevent(
        'w',
        'DTSTART;TZID=Europe/Warsaw:20210310T090000',
        'DTEND;TZID=Europe/Warsaw:20210310T100000',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE:20210311T080000Z',
      ),
    );
    expect(starts(read(text, '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z'))).toEqual([
      '2021-03-01T09:00:00Z',
      '2021-03-02T09:00:00Z',
      '2021-03-05T09:00:00Z',
      '2021-03-10T08:00:00Z',
      '2021-03-12T08:00:00Z',
    ]);
  });

  it('replaces an overridden occurrence, keeps an override that replaces nothing, and drops cancelled ones', () => {
    const text = ics(
      ...vevent(
        'r',
        'DTSTART:20210301T090000Z',
        'DTEND:20210301T100000Z',
        'RRULE:FREQ=DAILY',
        'SUMMARY:@Ana',
      ),
      ...vevent(
        'r',
        'RECURRENCE-ID:20210310T090000Z',
        'DTSTART:20210302T120000Z',
        'DTEND:20210302T130000Z',
        'SUMMARY:@Bo',
      ),
      ...vevent(
        'r',
        'RECURRENCE-ID:20210303T090000Z',
        'DTSTART:20210303T090000Z',
        'DTEND:20210303T100000Z',
        'STATUS:CANCELLED',
      ),
      ...vevent(
        'r',
        'RECURRENCE-ID:20210301T100000Z',
        'DTSTART:20210304T150000Z',
        'DTEND:20210304T160000Z',
        'SUMMARY:@Cy',
      ),
      ...vevent(
        'gone',
        'DTSTART:20210302T000000Z',
        'DTEND:20210303T000000Z',
        'STATUS:CANCELLED',
        'SUMMARY:@Gone',
      ),
    );
    const early = read(text, '2021-03-01T00:00:00Z', '2021-03-05T00:00:00Z');
    expect(early.map((s) => [at(s.start), s.label])).toEqual([
      ['2021-03-01T09:00:00Z', '@Ana'],
      ['2021-03-02T09:00:00Z', '@Ana'],
      ['2021-03-02T12:00:00Z', '@Bo'],
      ['2021-03-04T09:00:00Z', '@Ana'],
      ['2021-03-04T15:00:00Z', '@Cy'],
    ]);
    expect(starts(read(text, '2021-03-09T00:00:00Z', '2021-03-12T00:00:00Z'))).toEqual([
      '2021-03-09T09:00:00Z',
      '2021-03-11T09:00:00Z',
    ]);
  });

  it('counts DTSTART as the first occurrence of an event with RDATEs only, and leaves out its EXDATEs', () => {
    const text = ics(
      ...vevent(
        'r',
        'DTSTART:20210301T090000Z',
        'DURATION:PT1H',
        'RDATE:20210305T090000Z,20210307T090000Z',
        'EXDATE:20210305T090000Z',
      ),
    );
    expect(starts(read(text, '2021-03-01T00:00:00Z', '2021-04-01T00:00:00Z'))).toEqual([
      '2021-03-01T09:00:00Z',
      '2021-03-07T09:00:00Z',
    ]);
    const withoutStart = text.replace('EXDATE:20210305T090000Z', 'EXDATE:20210301T090000Z');
    expect(starts(read(withoutStart, '2021-03-01T00:00:00Z', '2021-04-01T00:00:00Z'))).toEqual([
      '2021-03-05T09:00:00Z',
      '2021-03-07T09:00:00Z',
    ]);
  });

  it('expands a rule without end only up to the window, however old', () => {
    const text = ics(
      ...vevent('old', 'DTSTART:20000101T090000Z', 'DTEND:20000101T170000Z', 'RRULE:FREQ=DAILY'),
    );
    expect(read(text, '2021-03-01T00:00:00Z', '2021-03-08T00:00:00Z')).toHaveLength(7);
  });

  it('gives a DURATION its days on the calendar and its hours exactly', () => {
    const text = ics(
      ...vevent('h', 'DTSTART;TZID=America/New_York:20210313T220000', 'DURATION:PT8H', 'SUMMARY:hours'),
      ...vevent('d', 'DTSTART;TZID=America/New_York:20210313T120000', 'DURATION:P1D', 'SUMMARY:day'),
    );
    expect(spans(read(text, '2021-03-13T00:00:00Z', '2021-03-15T00:00:00Z'))).toEqual([
      ['2021-03-13T17:00:00Z', '2021-03-14T16:00:00Z'],
      ['2021-03-14T03:00:00Z', '2021-03-14T11:00:00Z'],
    ]);
  });
});
