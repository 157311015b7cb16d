// Wall-clock time in IANA zones, through Intl (the zone database the runtime already carries). Pure: the only
// state is a cache of formatters per zone, which never changes an answer.

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  if (formatters.has(zone)) return formatters.get(zone)!;
  let f: Intl.DateTimeFormat | null = null;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    f = null;
  }
  if (formatters.size > 1000) formatters.clear(); // bounded: names come from feeds and configs
  formatters.set(zone, f);
  return f;
}

/** Whether Intl knows the zone by this name (IANA names and their aliases, `UTC`). */
export const isIanaZone = (zone: string): boolean =>
  typeof zone === 'string' && zone.length > 0 && zone.length <= 100 && formatter(zone) !== null;

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  const f = formatter(zone);
  if (!f) throw new RangeError(`unknown time zone '${zone}'`);
  return f;
}

/** The wall clock in `zone` at an instant (whole seconds). */
export function wallTimeAt(zone: string, utcMs: number): WallTime {
  const w: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of zoneFormatter(zone).formatToParts(new Date(utcMs))) {
    if (p.type in w) w[p.type as keyof WallTime] = Number(p.value);
  }
  return w;
}

/** A wall-clock reading as if it were UTC: the arithmetic base for dates and offsets. */
export const wallMs = (w: WallTime): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function offsetMs(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return wallMs(wallTimeAt(zone, whole)) - whole;
}

/**
 * The instant whose wall clock in `zone` reads `w`. A reading that happens twice (clocks turned back) is the
 * first; one that never happens (clocks turned forward) is read with the offset from before the change, so
 * 02:30 on a spring-forward night becomes 03:30, as RFC 5545 prescribes.
 */
export function wallToUtc(zone: string, w: WallTime): number {
  const local = wallMs(w);
  const before = offsetMs(zone, local - DAY_MS);
  const after = offsetMs(zone, local + DAY_MS);
  if (before === after) return local - before;
  const early = local - before;
  const late = local - after;
  const earlyOk = offsetMs(zone, early) === before;
  const lateOk = offsetMs(zone, late) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (earlyOk) return early;
  if (lateOk) return late;
  return early;
}

/** The calendar date `days` after `w`'s, same time of day. */
export function addDays(w: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Days since 1970-01-01 of `w`'s calendar date. */
export const dayNumber = (w: WallTime): number => Math.floor(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
