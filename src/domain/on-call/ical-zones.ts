import ICAL from 'ical.js';
import { isIanaZone, wallMs, wallToUtc, type WallTime } from './zone-time.js';

// The time zones of an iCalendar feed, made known to ical.js. A TZID resolves to the feed's own VTIMEZONE
// when it has one, else to the IANA zone of that name through Intl; floating date-times are anchored to the
// feed's zone so that recurrence rules, EXDATEs and UNTIL compare them as the instants they stand for. Pure:
// ical.js's global TimezoneService is changed only for the duration of one synchronous call and restored.

/** A jCal component: [name, properties, subcomponents]; a property is [name, params, type, ...values]. */
export type JCal = [string, JProp[], JCal[]];
export type JProp = [string, Record<string, unknown>, string, ...unknown[]];

export const wallOf = (t: ICAL.Time): WallTime => ({
  year: t.year,
  month: t.month,
  day: t.day,
  hour: t.isDate ? 0 : t.hour,
  minute: t.isDate ? 0 : t.minute,
  second: t.isDate ? 0 : t.second,
});

/** An IANA zone as ical.js sees a time zone: its offset at a wall-clock reading, from Intl. */
class IntlTimezone extends ICAL.Timezone {
  constructor(readonly zoneName: string) {
    super({ tzid: zoneName });
  }

  override utcOffset(tt: ICAL.Time): number {
    const wall = wallOf(tt);
    return (wallMs(wall) - wallToUtc(this.zoneName, wall)) / 1000;
  }
}

const UTC_NAMES = new Set(['utc', 'z', 'gmt', 'etc/utc', 'etc/gmt']);
const isFloating = (v: unknown) => typeof v === 'string' && !/z$/i.test(v);

/**
 * Gives the floating date-times of the feed's events the feed's zone (as a TZID parameter) and returns every
 * TZID the feed names, so that withFeedZones can make them known. Times inside VTIMEZONE definitions are
 * local to their definition and left alone.
 */
export function anchorFloatingTimes(calendar: JCal, zone: string): Set<string> {
  const tzids = new Set<string>([zone]);
  const visit = (component: JCal) => {
    if (component[0] === 'vtimezone') return;
    for (const prop of component[1]) {
      const params = prop[1];
      if (typeof params.tzid === 'string') tzids.add(params.tzid);
      else if (prop[2] === 'date-time' && prop.slice(3).every(isFloating) && component[0] !== 'vcalendar')
        params.tzid = zone;
    }
    for (const child of component[2]) visit(child);
  };
  visit(calendar);
  return tzids;
}

/**
 * Runs `work` with the feed's VTIMEZONEs, and every other TZID that is an IANA name, registered in ical.js's
 * TimezoneService, then puts back what was there before: the service is shared by every feed.
 */
export function withFeedZones<T>(
  root: ICAL.Component,
  tzids: Iterable<string>,
  _zone: string,
  work: () => T,
): T {
  const zones = new Map<string, ICAL.Timezone>();
  for (const component of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(component);
    if (tz.tzid) zones.set(tz.tzid, tz);
  }
  for (const tzid of tzids)
    if (!zones.has(tzid) && !UTC_NAMES.has(tzid.toLowerCase()) && isIanaZone(tzid))
      zones.set(tzid, new IntlTimezone(tzid));
  const service = ICAL.TimezoneService;
  const previous = new Map<string, ICAL.Timezone | null>();
  for (const [tzid, tz] of zones) {
    if (UTC_NAMES.has(tzid.toLowerCase())) continue;
    previous.set(tzid, service.has(tzid) ? service.get(tzid) : null);
    service.register(tz, tzid);
  }
  try {
    return work();
  } finally {
    for (const [tzid, tz] of previous) {
      if (tz) service.register(tz, tzid);
      else service.remove(tzid);
    }
  }
}
