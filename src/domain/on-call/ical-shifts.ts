import ICAL from 'ical.js';
import { AppError, invalid } from '../errors.js';
import { anchorFloatingTimes, wallOf, withFeedZones, type JCal } from './ical-zones.js';
import { eventPeople } from './shift-people.js';
import type { ProviderShift } from './shifts.js';
import { isIanaZone, wallMs, wallToUtc } from './zone-time.js';

// The shifts of an iCalendar feed: every occurrence of its events overlapping a window, each whole (not
// clipped). An override (RECURRENCE-ID) stands on its own and removes the occurrence it replaces; one that
// replaces nothing is still a shift. Dates (all-day) and floating times are read in the feed's default zone.
// The work is bounded: the feed's size, and the occurrences expanded, which stop at the window's end.

export const MAX_FEED_BYTES = 5 * 1024 * 1024;
export const MAX_OCCURRENCES = 50_000;
/** Candidate dates ical.js may weigh while looking for occurrences, over the whole feed. */
export const MAX_RULE_STEPS = 200_000;

export type IcalFeedProblem = 'too_large' | 'too_many_occurrences' | 'malformed';

/** A feed that cannot be turned into shifts; the message says why. */
export class IcalFeedError extends AppError {
  constructor(
    readonly problem: IcalFeedProblem,
    message: string,
  ) {
    super('validation_failed', message, [{ field: 'feed', message }]);
    this.name = 'IcalFeedError';
  }
}

export interface IcalOptions {
  /** The zone of all-day events and floating times; else the feed's X-WR-TIMEZONE, else UTC. */
  timezone?: string;
}

interface Window {
  from: number;
  until: number;
}

const DAY_MS = 86_400_000;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function icalShifts(
  text: string,
  from: Date,
  until: Date,
  opts: IcalOptions = {},
): { shifts: ProviderShift[] } {
  if (typeof text !== 'string') throw new IcalFeedError('malformed', 'the iCalendar feed is not text');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FEED_BYTES)
    throw new IcalFeedError(
      'too_large',
      `the iCalendar feed is ${(bytes / 2 ** 20).toFixed(1)} MB; feeds over ${MAX_FEED_BYTES / 2 ** 20} MB are refused`,
    );
  if (opts.timezone !== undefined && !isIanaZone(opts.timezone))
    throw invalid('timezone', `unknown time zone '${opts.timezone}'`);
  const window = { from: from.getTime(), until: until.getTime() };
  if (!Number.isFinite(window.from) || !Number.isFinite(window.until))
    throw invalid('window', 'from and until must be valid dates');
  const budget = { left: MAX_OCCURRENCES, steps: MAX_RULE_STEPS };
  const shifts: ProviderShift[] = [];
  try {
    for (const calendar of parseCalendars(text)) {
      const zone = opts.timezone ?? feedZone(calendar) ?? 'UTC';
      const tzids = anchorFloatingTimes(calendar, zone);
      const root = new ICAL.Component(calendar);
      shifts.push(...withFeedZones(root, tzids, zone, () => calendarShifts(root, zone, window, budget)));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new IcalFeedError('malformed', `the iCalendar feed could not be read: ${messageOf(err)}`);
  }
  shifts.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
  return { shifts };
}

function parseCalendars(text: string): JCal[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (err) {
    const message = messageOf(err);
    throw new IcalFeedError(
      'malformed',
      `the iCalendar feed is malformed: ${message}${lineHint(text, message)}`,
    );
  }
  const list = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as unknown[];
  const calendars = (Array.isArray(list) ? list : []).filter(
    (c): c is JCal => Array.isArray(c) && c[0] === 'vcalendar',
  );
  if (calendars.length === 0)
    throw new IcalFeedError('malformed', 'the feed holds no VCALENDAR: it is not an iCalendar feed');
  return calendars;
}

/** ical.js quotes the offending line; say which line of the feed it is. */
function lineHint(text: string, message: string): string {
  const quoted = /["'](.{3,}?)["']\s*$/.exec(message)?.[1];
  if (!quoted) return '';
  const lines = text.split(/\r?\n/);
  const n = lines.findIndex((l) => l === quoted || (l.length >= 3 && quoted.startsWith(l)));
  return n === -1 ? '' : ` (line ${n + 1})`;
}

function feedZone(calendar: JCal): string | undefined {
  const value = calendar[1].find((p) => p[0] === 'x-wr-timezone')?.[3];
  return typeof value === 'string' && isIanaZone(value.trim()) ? value.trim() : undefined;
}

/** The instant of a date or date-time; dates are midnight in the feed's zone. */
function instantOf(t: ICAL.Time, zone: string): number {
  if (t.isDate) return wallToUtc(zone, { ...wallOf(t), hour: 0, minute: 0, second: 0 });
  if (t.zone === ICAL.Timezone.localTimezone) return wallToUtc(zone, wallOf(t));
  return t.toUnixTime() * 1000;
}

const dayOf = (t: ICAL.Time) => Date.UTC(t.year, t.month - 1, t.day) / DAY_MS;
const plusDays = (t: ICAL.Time, days: number) => t.clone().adjust(days, 0, 0, 0);

/**
 * [start, end) of the occurrence of `ev` starting at `occ`. With DTEND every occurrence keeps the wall-clock
 * length of the first (a 22:00-06:00 night stays so across a DST change); DURATION adds its days on the
 * calendar and its hours exactly; without either a date lasts a day and a date-time is an instant.
 */
function occurrenceSpan(
  ev: ICAL.Component,
  dtstart: ICAL.Time,
  occ: ICAL.Time,
  zone: string,
): [number, number] {
  const start = instantOf(occ, zone);
  const dtend = ev.getFirstPropertyValue('dtend') as ICAL.Time | null;
  if (dtend) {
    if (dtstart.isDate || dtend.isDate)
      return [start, instantOf(plusDays(occ, dayOf(dtend) - dayOf(dtstart)), zone)];
    if (dtstart.zone.tzid === dtend.zone.tzid) {
      const end = occ.clone();
      end.addDuration(dtend.subtractDate(dtstart));
      return [start, instantOf(end, zone)];
    }
    return [start, start + instantOf(dtend, zone) - instantOf(dtstart, zone)];
  }
  const d = ev.getFirstPropertyValue('duration') as ICAL.Duration | null;
  if (d) {
    if (d.isNegative) return [start, start];
    const exact = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
    return [start, instantOf(plusDays(occ, d.weeks * 7 + d.days), zone) + exact];
  }
  return [start, occ.isDate ? instantOf(plusDays(occ, 1), zone) : start];
}

/**
 * A date-time rule's UNTIL written without a zone (or as a bare date) means the event's own zone; ical.js
 * would read it as UTC, ending a rule west of Greenwich one occurrence early.
 */
function anchorUntil(ev: ICAL.Component, dtstart: ICAL.Time) {
  if (dtstart.isDate) return;
  for (const prop of ev.getAllProperties('rrule')) {
    const rule = prop.getFirstValue() as ICAL.Recur;
    const u = rule.until;
    if (!u || (!u.isDate && u.zone !== ICAL.Timezone.localTimezone)) continue;
    const time = u.isDate
      ? { hour: 23, minute: 59, second: 59 }
      : { hour: u.hour, minute: u.minute, second: u.second };
    rule.until = new ICAL.Time(
      { year: u.year, month: u.month, day: u.day, ...time, isDate: false },
      dtstart.zone,
    );
  }
}

interface Budget {
  left: number;
  steps: number;
}

/**
 * ical.js looks for a rule's next occurrence in a loop that only ends on a date the rule allows, so a rule no
 * date satisfies (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31) would never return. Every candidate date it weighs is
 * counted, and past the window's end (with a day's margin for zone offsets) the search is ended there: the
 * occurrence it then returns lies after the window and stops the expansion.
 */
function boundSearch(occurrences: ICAL.RecurExpansion, w: Window, step: () => void) {
  const limit = w.until + 2 * DAY_MS;
  const iterators = (occurrences as unknown as { ruleIterators?: ICAL.RecurIterator[] }).ruleIterators;
  for (const it of iterators ?? []) {
    const allows = it.check_contracting_rules.bind(it);
    it.check_contracting_rules = () => {
      step();
      return wallMs(wallOf(it.last)) > limit || allows();
    };
  }
}

function calendarShifts(root: ICAL.Component, zone: string, w: Window, budget: Budget): ProviderShift[] {
  const spend = () => {
    if (--budget.left < 0)
      throw new IcalFeedError(
        'too_many_occurrences',
        `the iCalendar feed expands to more than ${MAX_OCCURRENCES} occurrences before ${new Date(w.until).toISOString()}; it is refused`,
      );
  };
  const step = () => {
    if (--budget.steps < 0)
      throw new IcalFeedError(
        'too_many_occurrences',
        `the iCalendar feed's recurrence rules take more than ${MAX_RULE_STEPS} steps to expand up to ${new Date(w.until).toISOString()}; it is refused`,
      );
  };
  const events = root.getAllSubcomponents('vevent');
  const uidOf = (ev: ICAL.Component) => String(ev.getFirstPropertyValue('uid') ?? '');
  // The occurrences overrides replace, by UID: they are skipped when the rule is expanded.
  const replaced = new Map<string, Set<number>>();
  for (const ev of events) {
    const rid = ev.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
    if (!rid) continue;
    const set = replaced.get(uidOf(ev)) ?? new Set<number>();
    replaced.set(uidOf(ev), set.add(instantOf(rid, zone)));
  }
  const out: ProviderShift[] = [];
  for (const ev of events) {
    const dtstart = ev.getFirstPropertyValue('dtstart') as ICAL.Time | null;
    if (!dtstart || String(ev.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    const label = String(ev.getFirstPropertyValue('summary') ?? '').trim();
    const attendees = ev.getAllProperties('attendee').map((p) => String(p.getFirstValue() ?? ''));
    const person = { ...eventPeople(label, attendees), label };
    const emit = (occ: ICAL.Time) => {
      const [start, end] = occurrenceSpan(ev, dtstart, occ, zone);
      if (start < w.until && (end > w.from || (end === start && start >= w.from)))
        out.push({ start: new Date(start), end: new Date(Math.max(start, end)), ...person });
    };
    const recurring = ev.hasProperty('rrule') || ev.hasProperty('rdate');
    if (ev.hasProperty('recurrence-id') || !recurring) {
      spend();
      emit(dtstart);
      continue;
    }
    anchorUntil(ev, dtstart);
    const skip = replaced.get(uidOf(ev));
    const occurrences = new ICAL.RecurExpansion({ component: ev, dtstart });
    boundSearch(occurrences, w, step);
    // DTSTART is always the first occurrence (RFC 5545 3.8.5.2); ical.js leaves it out when only RDATEs follow.
    const first = ev.hasProperty('rrule') ? null : dtstart;
    const excluded = first ? exdates(ev, zone) : new Set<number>();
    for (let occ = first ?? occurrences.next(); occ; occ = occurrences.next()) {
      spend();
      const start = instantOf(occ, zone);
      if (start >= w.until) break;
      if (!skip?.has(start) && !excluded.has(start)) emit(occ);
      if (occ === first) excluded.add(start);
    }
  }
  return out;
}

/** The instants an event's EXDATEs leave out. */
function exdates(ev: ICAL.Component, zone: string): Set<number> {
  const out = new Set<number>();
  for (const prop of ev.getAllProperties('exdate'))
    for (const value of prop.getValues()) out.add(instantOf(value as ICAL.Time, zone));
  return out;
}
