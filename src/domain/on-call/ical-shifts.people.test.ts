import { describe, expect, it } from 'vitest';
import { icalShifts } from './ical-shifts.js';
import { matchShifts } from './match-shifts.js';

// The people of hand-written events, as PagerDuty and calendar apps write them, matched to a directory.

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Latch tests//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (uid: string, ...lines: string[]) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20210101T000000Z',
  ...lines,
  'END:VEVENT',
];
const read = (text: string, from: string, until: string) =>
  icalShifts(text, new Date(from), new Date(until)).shifts;

describe('iCalendar shifts: people and matching', () => {
  const users = [
    { id: 'u-ana', name: 'Ana Lopez', email: 'ana@example.com' },
    { id: 'u-bo', name: 'Bo', email: 'bo.one@example.com' },
    { id: 'u-bo2', name: 'Bo', email: 'bo.two@example.com' },
  ];
  const one = (...lines: string[]) =>
    read(
      ics(...vevent('p', 'DTSTART:20210301T090000Z', 'DTEND:20210301T170000Z', ...lines)),
      '2021-03-01T00:00:00Z',
      '2021-03-02T00:00:00Z',
    );

  it('matches an ATTENDEE written MAILTO: in upper case', () => {
    const shifts = one('ATTENDEE;CN=Ana:MAILTO:ANA@Example.COM', 'SUMMARY:Primary');
    expect(shifts[0]!.emails).toEqual(['ANA@Example.COM']);
    expect(matchShifts(shifts, users).matched.map((s) => s.userId)).toEqual(['u-ana']);
  });

  it("matches PagerDuty's summary by name when no e-mail is given", () => {
    const shifts = one('SUMMARY:On Call - Ana Lopez - Default Escalation Policy');
    expect(shifts[0]!.names).toEqual(['Ana Lopez']);
    expect(matchShifts(shifts, users).matched.map((s) => s.userId)).toEqual(['u-ana']);
  });

  it('reports shifts nobody answers to, and ambiguous names, as unmatched', () => {
    const { matched, unmatched } = matchShifts([...one('SUMMARY:@Zed'), ...one('SUMMARY:@Bo')], users);
    expect(matched).toEqual([]);
    expect(unmatched.map((u) => [u.label, u.names])).toEqual([
      ['@Zed', ['Zed']],
      ['@Bo', ['Bo']],
    ]);
  });
});
