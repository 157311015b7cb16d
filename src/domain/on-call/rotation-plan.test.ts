import { describe, expect, it } from 'vitest';
import { compile, indexAt, nextChange, previousChange, shiftStart, winnerAt } from './rotation-plan.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('rotation plan', () => {
  const plan = compile({
    timezone: 'America/New_York',
    layers: [
      { start: '2021-03-10T09:00:00-05:00', shiftMinutes: 1440, userIds: ['a', 'a', 'b'] },
      { start: '2021-03-20T00:00:00Z', shiftSeconds: 3600, userIds: ['c'], end: '2021-03-21T00:00:00Z' },
    ],
    overrides: [{ userId: 'o', start: '2021-03-20T06:00:00Z', end: '2021-03-20T07:00:00Z' }],
  });
  const daily = plan.rotations[0]!;

  it('finds the shift under way without walking, across the DST change (2021-03-14)', () => {
    expect(iso(shiftStart(daily, 4))).toBe('2021-03-14T13:00:00.000Z');
    expect(indexAt(daily, ms('2021-03-14T12:59:59Z'))).toBe(3);
    expect(indexAt(daily, ms('2021-03-14T13:00:00Z'))).toBe(4);
    // Ten years on (US DST began 2031-03-09), 09:00 EDT is still 13:00Z: one shift per calendar day.
    const days = (Date.UTC(2031, 2, 14) - Date.UTC(2021, 2, 14)) / 86_400_000;
    expect(indexAt(daily, ms('2031-03-14T13:00:00Z'))).toBe(days + 4);
    expect(indexAt(daily, ms('2031-03-14T12:59:59Z'))).toBe(days + 3);
  });

  it('reports a winning layer as the run of shifts its person holds in a row', () => {
    // Shifts 0, 1 are a's, 2 is b's, 3, 4 are a's ...
    expect(winnerAt(plan, ms('2021-03-11T12:00:00Z'))).toEqual({
      start: ms('2021-03-10T14:00:00Z'),
      end: ms('2021-03-12T14:00:00Z'),
      priority: 0,
      userId: 'a',
    });
    expect(winnerAt(plan, ms('2021-03-20T05:00:00Z'))?.userId).toBe('c');
    expect(winnerAt(plan, ms('2021-03-20T06:00:00Z'))?.userId).toBe('o');
    expect(winnerAt(plan, ms('2021-03-10T13:59:59Z'))).toBeNull();
  });

  it('sees where a winner may stop winning: its own end or a stronger source starting or ending', () => {
    const t = ms('2021-03-19T15:00:00Z');
    const win = winnerAt(plan, t)!;
    expect(iso(nextChange(plan, win, t))).toBe('2021-03-20T00:00:00.000Z');
    const later = ms('2021-03-21T03:00:00Z');
    expect(iso(previousChange(plan, winnerAt(plan, later)!, later))).toBe('2021-03-21T00:00:00.000Z');
  });
});
