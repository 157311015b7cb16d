import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, isIanaZone, offsetMs, wallTimeAt, wallToUtc } from './zone-time.js';

const HOUR = 3600_000;
const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe('zone time', () => {
  it('knows IANA zones and refuses other names', () => {
    expect(isIanaZone('Europe/Berlin')).toBe(true);
    expect(isIanaZone('UTC')).toBe(true);
    expect(isIanaZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaZone('')).toBe(false);
  });

  it('reads offsets in winter and summer', () => {
    expect(offsetMs('Europe/Berlin', Date.parse('2021-01-15T12:00:00Z'))).toBe(HOUR);
    expect(offsetMs('Europe/Berlin', Date.parse('2021-07-15T12:00:00Z'))).toBe(2 * HOUR);
    expect(offsetMs('America/New_York', Date.parse('2021-03-14T06:59:59Z'))).toBe(-5 * HOUR);
    expect(offsetMs('America/New_York', Date.parse('2021-03-14T07:00:00Z'))).toBe(-4 * HOUR);
  });

  it('turns a wall clock into the instant, on both sides of a change', () => {
    expect(iso(wallToUtc('Europe/Berlin', wall(2021, 3, 27, 9)))).toBe('2021-03-27T08:00:00.000Z');
    expect(iso(wallToUtc('Europe/Berlin', wall(2021, 3, 28, 9)))).toBe('2021-03-28T07:00:00.000Z');
    expect(wallTimeAt('Europe/Berlin', Date.parse('2021-03-28T07:00:00Z'))).toEqual(wall(2021, 3, 28, 9));
  });

  it('moves a time that never happens forward and takes the first of one that happens twice', () => {
    // 02:30 does not exist on 2021-03-28 in Berlin (02:00 -> 03:00): read as 03:30 CEST.
    expect(iso(wallToUtc('Europe/Berlin', wall(2021, 3, 28, 2, 30)))).toBe('2021-03-28T01:30:00.000Z');
    // 02:30 happens twice on 2021-10-31 (03:00 -> 02:00): the first, still CEST.
    expect(iso(wallToUtc('Europe/Berlin', wall(2021, 10, 31, 2, 30)))).toBe('2021-10-31T00:30:00.000Z');
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays(wall(2021, 12, 30, 9), 3)).toEqual(wall(2022, 1, 2, 9));
    expect(addDays(wall(2024, 3, 1), -1)).toEqual(wall(2024, 2, 29));
    expect(dayNumber(wall(1970, 1, 2))).toBe(1);
  });
});
