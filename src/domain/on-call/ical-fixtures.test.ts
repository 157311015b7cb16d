import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { icalShifts, type IcalOptions } from './ical-shifts.js';
import { matchShifts, onCallAt } from './match-shifts.js';
import type { DirectoryUser } from './shifts.js';

// Real calendars (Google Calendar exports from grafana/oncall's tests, see shared/fixtures/README.md), read
// from beside the checkout and matched to a directory whose users the calendars name.

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../shared/fixtures/oncall/${name}`, import.meta.url), 'utf8');

const directory: DirectoryUser[] = [
  { id: 'u-bernard', name: 'Bernard Desruisseaux', email: 'bernard@example.com' },
  { id: 'u-bob', name: 'Bob', email: 'bob.builder@example.com' },
  { id: 'u-alex', name: 'Alex', email: 'alex@example.com' },
  { id: 'u-user', name: 'Sam Operator', email: 'user@example.org' },
  { id: 'u-test', name: 'Tess', email: 'test@test.test' },
];
const DAY = 86_400_000;
const at = (d: Date) => d.toISOString().replace('.000Z', 'Z');

function shiftsOf(name: string, from: string, until: string, opts: IcalOptions = {}) {
  const raw = icalShifts(fixture(name), new Date(from), new Date(until), opts).shifts;
  return { raw, ...matchShifts(raw, directory) };
}
const whoAt = (shifts: ReturnType<typeof shiftsOf>['matched'], iso: string) =>
  onCallAt(shifts, new Date(iso)).map((s) => s.userId);

describe('real calendars', () => {
  it('calendar_with_recurring_event: Bernard 08:00Z-17:00Z every day from 2021-01-24', () => {
    const { matched, unmatched } = shiftsOf(
      'calendar_with_recurring_event.ics',
      '2021-01-20T00:00:00Z',
      '2021-02-05T00:00:00Z',
    );
    expect(unmatched).toEqual([]);
    // 13:00-22:00 in Asia/Yekaterinburg (UTC+5, from the VTIMEZONE) on each of the 12 days 2021-01-24..02-04.
    expect(matched.map((s) => [s.userId, at(s.start), at(s.end)])).toEqual(
      Array.from({ length: 12 }, (_, i) => {
        const day = Date.parse('2021-01-24T00:00:00Z') + i * DAY;
        return ['u-bernard', at(new Date(day + 8 * 3600_000)), at(new Date(day + 17 * 3600_000))];
      }),
    );
    expect(whoAt(matched, '2021-01-23T12:00:00Z')).toEqual([]);
    for (const day of ['2021-01-24', '2021-01-27', '2021-01-31', '2021-02-04']) {
      expect(whoAt(matched, `${day}T07:59:59Z`)).toEqual([]);
      expect(whoAt(matched, `${day}T08:00:00Z`)).toEqual(['u-bernard']);
      expect(whoAt(matched, `${day}T16:59:59Z`)).toEqual(['u-bernard']);
      expect(whoAt(matched, `${day}T17:00:00Z`)).toEqual([]);
    }
  });

  it('calendar_with_edited_recurring_events: Bob on 2021-01-27 instead of Bernard', () => {
    const { matched } = shiftsOf(
      'calendar_with_edited_recurring_events.ics',
      '2021-01-24T00:00:00Z',
      '2021-01-30T00:00:00Z',
    );
    expect(whoAt(matched, '2021-01-27T08:00:00Z')).toEqual(['u-bob']);
    expect(whoAt(matched, '2021-01-27T16:59:59Z')).toEqual(['u-bob']);
    expect(whoAt(matched, '2021-01-27T17:00:00Z')).toEqual([]);
    expect(matched.filter((s) => s.userId === 'u-bob').map((s) => [at(s.start), at(s.end)])).toEqual([
      ['2021-01-27T08:00:00Z', '2021-01-27T17:00:00Z'],
    ]);
    expect(matched.filter((s) => s.userId === 'u-bernard').map((s) => at(s.start))).toEqual([
      '2021-01-24T08:00:00Z',
      '2021-01-25T08:00:00Z',
      '2021-01-26T08:00:00Z',
      '2021-01-28T08:00:00Z',
      '2021-01-29T08:00:00Z',
    ]);
  });

  it("calendar_with_all_day_event: Alex all day 2021-01-27 alongside Bob's override", () => {
    const window = ['2021-01-26T00:00:00Z', '2021-01-29T00:00:00Z'] as const;
    const utc = shiftsOf('calendar_with_all_day_event.ics', ...window, { timezone: 'UTC' }).matched;
    expect(utc.filter((s) => s.userId === 'u-alex').map((s) => [at(s.start), at(s.end)])).toEqual([
      ['2021-01-27T00:00:00Z', '2021-01-28T00:00:00Z'],
    ]);
    expect(whoAt(utc, '2021-01-27T12:00:00Z').sort()).toEqual(['u-alex', 'u-bob']);
    expect(whoAt(utc, '2021-01-27T20:00:00Z')).toEqual(['u-alex']);
    expect(whoAt(utc, '2021-01-28T12:00:00Z')).toEqual(['u-bernard']);
    // Without a zone of our own the feed's X-WR-TIMEZONE (Asia/Yekaterinburg, UTC+5) places the day.
    const own = shiftsOf('calendar_with_all_day_event.ics', ...window).matched;
    expect(own.filter((s) => s.userId === 'u-alex').map((s) => [at(s.start), at(s.end)])).toEqual([
      ['2021-01-26T19:00:00Z', '2021-01-27T19:00:00Z'],
    ]);
  });

  it('modified_recurring_event: one occurrence of the 3-weekly rule, and the Warsaw override on its own', () => {
    // RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO;UNTIL=20230806 from Monday 2023-07-17: the next Monday in the
    // rule is 2023-08-07, after UNTIL, so the rule has exactly one occurrence, 2023-07-17 to 07-25 (all day,
    // in the feed's Europe/Berlin: 22:00Z the evening before). The override's RECURRENCE-ID (1970-01-01)
    // replaces no occurrence, so it stands on its own: 10:00 Europe/Warsaw (CEST, UTC+2) is 08:00Z.
    const { raw, matched, unmatched } = shiftsOf(
      'modified_recurring_event.ics',
      '2023-01-01T00:00:00Z',
      '2024-01-01T00:00:00Z',
    );
    expect(raw.map((s) => [at(s.start), at(s.end), s.label])).toEqual([
      ['2023-07-16T22:00:00Z', '2023-07-24T22:00:00Z', 'user'],
      ['2023-07-17T08:00:00Z', '2023-07-24T08:00:00Z', 'user'],
    ]);
    // "user" is the local part of u-user's e-mail; the override lies inside the occurrence, so one shift.
    expect(unmatched).toEqual([]);
    expect(matched.map((s) => [s.userId, at(s.start), at(s.end)])).toEqual([
      ['u-user', '2023-07-16T22:00:00Z', '2023-07-24T22:00:00Z'],
    ]);
    // Without UNTIL the same rule recurs every third Monday: 07-17, 08-07, 08-28.
    const endless = fixture('modified_recurring_event.ics').replace('UNTIL=20230806;', '');
    const starts = icalShifts(endless, new Date('2023-07-01T00:00:00Z'), new Date('2023-09-01T00:00:00Z'), {
      timezone: 'UTC',
    }).shifts.map((s) => at(s.start));
    expect(starts).toEqual([
      '2023-07-17T00:00:00Z',
      '2023-07-17T08:00:00Z',
      '2023-08-07T00:00:00Z',
      '2023-08-28T00:00:00Z',
    ]);
  });

  it('override_email_case_sensitivity: Test@TEST.test is the user test@test.test', () => {
    const { matched, unmatched } = shiftsOf(
      'override_email_case_sensitivity.ics',
      '2023-02-06T00:00:00Z',
      '2023-02-07T00:00:00Z',
    );
    expect(unmatched).toEqual([]);
    expect(matched.map((s) => [s.userId, at(s.start), at(s.end)])).toEqual([
      ['u-test', '2023-02-06T11:00:00Z', '2023-02-06T12:00:00Z'],
    ]);
  });
});
