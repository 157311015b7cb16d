import { describe, expect, it } from 'vitest';
import { builtinOnCallAt, builtinShifts } from './builtin-rotation.js';
import type { BuiltinConfig, BuiltinLayer, Shift } from './shifts.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const d = (iso: string) => new Date(iso);
const rows = (shifts: Shift[]) => shifts.map((s) => [s.userId, s.start.toISOString(), s.end.toISOString()]);
const config = (layers: BuiltinLayer[], overrides: BuiltinConfig['overrides'] = [], timezone = 'UTC') => ({
  timezone,
  layers,
  overrides,
});
const who = (c: BuiltinConfig, iso: string) => builtinOnCallAt(c, d(iso)).map((s) => s.userId);
const berlinHour = (date: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(
    date,
  );

describe('builtin rotation', () => {
  const eightHours = { start: '2030-01-07T09:00:00Z', shiftMinutes: 480, userIds: ['a', 'b', 'c'] };

  it('takes participants in order from the start and wraps around', () => {
    const shifts = builtinShifts(config([eightHours]), d('2030-01-07T00:00:00Z'), d('2030-01-08T17:00:00Z'));
    expect(rows(shifts)).toEqual([
      ['a', '2030-01-07T09:00:00.000Z', '2030-01-07T17:00:00.000Z'],
      ['b', '2030-01-07T17:00:00.000Z', '2030-01-08T01:00:00.000Z'],
      ['c', '2030-01-08T01:00:00.000Z', '2030-01-08T09:00:00.000Z'],
      ['a', '2030-01-08T09:00:00.000Z', '2030-01-08T17:00:00.000Z'],
    ]);
    expect(who(config([eightHours]), '2030-01-07T08:59:59Z')).toEqual([]);
  });

  it('reports the segments at the window edges whole, the same through every window', () => {
    const shifts = builtinShifts(config([eightHours]), d('2030-01-07T10:00:00Z'), d('2030-01-07T18:00:00Z'));
    expect(rows(shifts)).toEqual([
      ['a', '2030-01-07T09:00:00.000Z', '2030-01-07T17:00:00.000Z'],
      ['b', '2030-01-07T17:00:00.000Z', '2030-01-08T01:00:00.000Z'],
    ]);
    // A week-long shift read a day into it, then two days into it: one and the same segment.
    const weekly = config([{ start: '2030-01-07T09:00:00Z', shiftMinutes: 7 * 1440, userIds: ['a', 'b'] }]);
    const read = (from: string) => rows(builtinShifts(weekly, d(from), new Date(d(from).getTime() + DAY)));
    expect(read('2030-01-08T09:00:00Z')).toEqual([
      ['a', '2030-01-07T09:00:00.000Z', '2030-01-14T09:00:00.000Z'],
    ]);
    expect(read('2030-01-09T15:00:00Z')).toEqual(read('2030-01-08T09:00:00Z'));
    // One person without end: the segment runs from the layer's start to a fixed far end.
    const solo = config([{ start: '2030-01-07T09:00:00Z', shiftMinutes: 60, userIds: ['s'] }]);
    expect(rows(builtinShifts(solo, d('2031-01-01T00:00:00Z'), d('2031-01-02T00:00:00Z')))).toEqual([
      ['s', '2030-01-07T09:00:00.000Z', '9999-12-31T23:59:59.999Z'],
    ]);
  });

  it('lets a later layer win where it has someone, and an override win over every layer', () => {
    const c = config(
      [
        eightHours,
        { start: '2030-01-07T12:00:00Z', shiftMinutes: 60, userIds: ['x'], end: '2030-01-07T14:00:00Z' },
      ],
      [{ userId: 'o', start: '2030-01-07T13:00:00Z', end: '2030-01-07T13:30:00Z' }],
    );
    expect(rows(builtinShifts(c, d('2030-01-07T09:00:00Z'), d('2030-01-07T17:00:00Z')))).toEqual([
      ['a', '2030-01-07T09:00:00.000Z', '2030-01-07T12:00:00.000Z'],
      ['x', '2030-01-07T12:00:00.000Z', '2030-01-07T13:00:00.000Z'],
      ['o', '2030-01-07T13:00:00.000Z', '2030-01-07T13:30:00.000Z'],
      ['x', '2030-01-07T13:30:00.000Z', '2030-01-07T14:00:00.000Z'],
      ['a', '2030-01-07T14:00:00.000Z', '2030-01-07T17:00:00.000Z'],
    ]);
    // A whole segment, not a clipped one: a's shift went on under x and o but its visible part starts at 14:00.
    expect(rows(builtinOnCallAt(c, d('2030-01-07T15:00:00Z')))).toEqual([
      ['a', '2030-01-07T14:00:00.000Z', '2030-01-07T17:00:00.000Z'],
    ]);
  });

  it('merges contiguous segments of the same user, from the rotation or an override', () => {
    const c = config(
      [{ start: '2030-01-07T00:00:00Z', shiftMinutes: 60, userIds: ['a', 'a', 'b'] }],
      [{ userId: 'b', start: '2030-01-07T01:30:00Z', end: '2030-01-07T02:00:00Z' }],
    );
    expect(rows(builtinShifts(c, d('2030-01-07T00:00:00Z'), d('2030-01-07T03:00:00Z')))).toEqual([
      ['a', '2030-01-07T00:00:00.000Z', '2030-01-07T01:30:00.000Z'],
      ['b', '2030-01-07T01:30:00.000Z', '2030-01-07T03:00:00.000Z'],
    ]);
  });

  it('keeps a daily handoff at 09:00 Berlin time across the spring and autumn changes', () => {
    const c = config(
      [{ start: '2021-03-25T09:00:00+01:00', shiftMinutes: 1440, userIds: ['a', 'b'] }],
      [],
      'Europe/Berlin',
    );
    const spring = builtinShifts(c, d('2021-03-25T00:00:00Z'), d('2021-03-30T00:00:00Z'));
    expect(spring.map((s) => s.start.toISOString())).toEqual([
      '2021-03-25T08:00:00.000Z',
      '2021-03-26T08:00:00.000Z',
      '2021-03-27T08:00:00.000Z',
      '2021-03-28T07:00:00.000Z',
      '2021-03-29T07:00:00.000Z',
    ]);
    expect(spring.map((s) => berlinHour(s.start))).toEqual(Array(5).fill('09:00'));
    expect((spring[2]!.end.getTime() - spring[2]!.start.getTime()) / HOUR).toBe(23);
    const autumn = builtinShifts(c, d('2021-10-30T07:00:00Z'), d('2021-11-01T12:00:00Z'));
    // 2021-10-30 is 219 days after the first handoff: b's turn; the next shift lasts 25 hours.
    expect(rows(autumn).slice(0, 2)).toEqual([
      ['b', '2021-10-30T07:00:00.000Z', '2021-10-31T08:00:00.000Z'],
      ['a', '2021-10-31T08:00:00.000Z', '2021-11-01T08:00:00.000Z'],
    ]);
  });

  it('advances shifts that are not whole days in absolute time, DST or not', () => {
    const c = config(
      [{ start: '2021-03-27T08:00:00+01:00', shiftMinutes: 720, userIds: ['a', 'b'] }],
      [],
      'Europe/Berlin',
    );
    const starts = builtinShifts(c, d('2021-03-27T07:00:00Z'), d('2021-03-29T07:00:00Z')).map((s) =>
      s.start.toISOString(),
    );
    expect(starts).toEqual([
      '2021-03-27T07:00:00.000Z',
      '2021-03-27T19:00:00.000Z',
      '2021-03-28T07:00:00.000Z',
      '2021-03-28T19:00:00.000Z',
    ]);
  });

  it('computes a shift ten years out directly', () => {
    const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const c = config(
      [{ start: '2021-01-04T09:00:00+01:00', shiftMinutes: 1440, userIds: users }],
      [],
      'Europe/Berlin',
    );
    const minute = config([{ start: '2021-01-04T00:00:00Z', shiftSeconds: 60, userIds: users }]);
    const began = performance.now();
    const [far] = builtinOnCallAt(c, d('2031-07-15T12:00:00Z'));
    const week = builtinShifts(c, d('2031-07-01T00:00:00Z'), d('2031-07-08T00:00:00Z'));
    const [farMinute] = builtinOnCallAt(minute, d('2031-07-15T12:00:30Z'));
    expect(performance.now() - began).toBeLessThan(200);
    // Local days from 2021-01-04 to 2031-07-15 decide whose turn it is; 09:00 CEST is 07:00Z.
    const days = (Date.UTC(2031, 6, 15) - Date.UTC(2021, 0, 4)) / DAY;
    expect(rows([far!])).toEqual([
      [users[days % 7]!, '2031-07-15T07:00:00.000Z', '2031-07-16T07:00:00.000Z'],
    ]);
    expect(week).toHaveLength(8);
    const minutes = (Date.parse('2031-07-15T12:00:00Z') - Date.parse('2021-01-04T00:00:00Z')) / 60_000;
    expect(rows([farMinute!])).toEqual([
      [users[minutes % 7]!, '2031-07-15T12:00:00.000Z', '2031-07-15T12:01:00.000Z'],
    ]);
  });

  it('lays out thousands of shifts in a window', () => {
    const c = config([{ start: '2030-01-01T00:00:00Z', shiftSeconds: 30, userIds: ['a', 'b', 'c'] }]);
    const shifts = builtinShifts(c, d('2030-01-01T00:00:00Z'), d('2030-01-02T00:00:00Z'));
    expect(shifts).toHaveLength(2880);
    expect(shifts.map((s) => s.userId).slice(0, 4)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('knows nobody before a layer starts or after it ends, and reports whole segments', () => {
    const c = config([
      { start: '2030-01-07T00:00:00Z', shiftMinutes: 60, userIds: ['solo'], end: '2030-03-01T00:00:00Z' },
    ]);
    expect(who(c, '2030-01-06T23:59:59Z')).toEqual([]);
    expect(who(c, '2030-03-01T00:00:00Z')).toEqual([]);
    // One participant: a single segment from the start to the end, found from any instant inside it.
    expect(rows(builtinOnCallAt(c, d('2030-02-10T12:00:00Z')))).toEqual([
      ['solo', '2030-01-07T00:00:00.000Z', '2030-03-01T00:00:00.000Z'],
    ]);
  });

  it('refuses an invalid config and an over-large window with validation errors', () => {
    expect(() => builtinShifts(config([]), d('2030-01-01T00:00:00Z'), d('2030-01-02T00:00:00Z'))).toThrow(
      /layers: must hold at least one layer/,
    );
    const c = config([{ start: '2030-01-01T00:00:00Z', shiftSeconds: 1, userIds: ['a', 'b'] }]);
    expect(() => builtinShifts(c, d('2030-01-01T00:00:00Z'), d('2030-01-31T00:00:00Z'))).toThrow(
      /ask for less/,
    );
    // One person throughout is one span, however short the shifts.
    const solo = config([{ start: '2030-01-01T00:00:00Z', shiftSeconds: 1, userIds: ['a', 'a'] }]);
    expect(builtinShifts(solo, d('2030-01-01T00:00:00Z'), d('2031-01-01T00:00:00Z'))).toHaveLength(1);
    expect(builtinShifts(c, d('2030-01-02T00:00:00Z'), d('2030-01-01T00:00:00Z'))).toEqual([]);
  });
});
