import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinOnCallAt, builtinShifts } from './builtin-rotation.js';
import type { BuiltinConfig, BuiltinLayer } from './shifts.js';

// Random rotations, overrides and windows: the segments must be sorted, disjoint, over the window, merged,
// and agree with builtinOnCallAt; in UTC, where every shift is absolute, also with a naive reading of the rules.

const BASE = Date.parse('2030-03-01T00:00:00Z');
const MIN = 60_000;
const DAY = 1440 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

const layer = fc
  .record({
    offset: fc.integer({ min: -30 * 1440, max: 30 * 1440 }),
    length: fc.oneof(
      fc.record({ shiftMinutes: fc.constantFrom(1440, 2880, 10080) }),
      fc.record({ shiftMinutes: fc.integer({ min: 1, max: 900 }) }),
      fc.record({ shiftSeconds: fc.integer({ min: 30, max: 7200 }) }),
    ),
    userIds: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 4 }),
    endAfter: fc.option(fc.integer({ min: 1, max: 40 * 1440 }), { nil: undefined }),
  })
  .map(({ offset, length, userIds, endAfter }): BuiltinLayer => {
    const start = BASE + offset * MIN;
    return {
      start: iso(start),
      ...length,
      userIds,
      ...(endAfter === undefined ? {} : { end: iso(start + endAfter * MIN) }),
    };
  });

const override = fc
  .record({
    offset: fc.integer({ min: -5 * 1440, max: 30 * 1440 }),
    minutes: fc.integer({ min: 1, max: 3 * 1440 }),
  })
  .chain(({ offset, minutes }) =>
    fc.constantFrom('a', 'b', 'o').map((userId) => ({
      userId,
      start: iso(BASE + offset * MIN),
      end: iso(BASE + (offset + minutes) * MIN),
    })),
  );

const config = fc.record({
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
  layers: fc.array(layer, { minLength: 1, maxLength: 3 }),
  overrides: fc.array(override, { maxLength: 3 }),
});
const window = fc.record({
  from: fc.integer({ min: -10 * 1440, max: 40 * 1440 }).map((m) => BASE + m * MIN),
  minutes: fc.integer({ min: 0, max: 4 * 1440 }),
  probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
});

/** Who the rules put on call at t, reading them literally (absolute shift lengths: UTC only). */
function naive(c: BuiltinConfig, t: number): string | null {
  for (const o of [...(c.overrides ?? [])].reverse())
    if (Date.parse(o.start) <= t && t < Date.parse(o.end)) return o.userId;
  for (const l of [...c.layers].reverse()) {
    const start = Date.parse(l.start);
    const length = (l.shiftSeconds ?? l.shiftMinutes! * 60) * 1000;
    if (t < start || (l.end && t >= Date.parse(l.end))) continue;
    return l.userIds[Math.floor((t - start) / length) % l.userIds.length]!;
  }
  return null;
}

describe('builtin rotation properties', () => {
  it('gives sorted, disjoint, merged whole segments over the window that builtinOnCallAt agrees with', () => {
    fc.assert(
      fc.property(config, window, (c, w) => {
        const until = w.from + w.minutes * MIN;
        const segs = builtinShifts(c, new Date(w.from), new Date(until));
        segs.forEach((s, i) => {
          // Overlapping the window; only the first may begin before it and only the last end after it.
          expect(s.end.getTime()).toBeGreaterThan(w.from);
          expect(s.start.getTime()).toBeLessThan(until);
          if (i > 0) expect(s.start.getTime()).toBeGreaterThan(w.from);
          if (i < segs.length - 1) expect(s.end.getTime()).toBeLessThan(until);
          const prev = segs[i - 1];
          if (!prev) return;
          expect(prev.end.getTime()).toBeLessThanOrEqual(s.start.getTime());
          expect(prev.end.getTime() === s.start.getTime() && prev.userId === s.userId).toBe(false);
        });
        for (const p of w.probes) {
          const t = Math.min(until - 1, Math.floor(w.from + p * (until - w.from)));
          if (t < w.from) continue;
          const seg = segs.find((s) => s.start.getTime() <= t && t < s.end.getTime());
          const at = builtinOnCallAt(c, new Date(t));
          if (c.timezone === 'UTC') expect(seg?.userId ?? null).toBe(naive(c, t));
          if (!seg) {
            expect(at).toEqual([]);
            continue;
          }
          // Both are whole segments: the same one, whichever window or instant it is read through.
          expect(at).toEqual([seg]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('starts every whole-day shift at the same local time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 23 }),
        (timezone, day, hour) => {
          const start = iso(Date.UTC(2030, 0, 1) + day * DAY + hour * 60 * MIN);
          const c = { timezone, layers: [{ start, shiftMinutes: 1440, userIds: ['a', 'b'] }] };
          const from = Date.parse(start);
          const clock = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, timeStyle: 'short' });
          const starts = builtinShifts(c, new Date(from), new Date(from + 60 * DAY)).map((s) => s.start);
          const clocks = new Set(starts.slice(1).map((s) => clock.format(s)));
          // A handoff time skipped by a spring-forward night moves on by the size of the jump, once.
          expect(clocks.size).toBeLessThanOrEqual(2);
          expect(clocks.has(clock.format(new Date(from)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
