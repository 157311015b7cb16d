import type { ProviderShift } from '../../../domain/on-call/shifts.js';
import { getJson, httpUrl, type FetchOptions } from './http-get.js';
import { ProviderError } from './provider-error.js';
import {
  clipped,
  distinctShifts,
  instant,
  isRecord,
  nonEmptyString,
  person,
  type Person,
} from './shift-window.js';

// Who Opsgenie says is on call for one schedule. Shifts come from the schedule timeline
// (`GET /v2/schedules/{id}/timeline`, its `finalTimeline`: rotations with overrides and forwarding applied);
// the people on call at one instant from `GET /v2/schedules/{id}/on-calls?flat=true`. A user recipient's
// `name` is the Opsgenie username, which is the user's e-mail address. Keys go in `Authorization: GenieKey`.

export interface OpsgenieConfig {
  scheduleId: string;
  apiKey: string;
  /** `https://api.eu.opsgenie.com` for accounts hosted in the EU. */
  baseUrl?: string | null;
}

export type OnCallPerson = Person;
export type IntervalUnit = 'days' | 'weeks' | 'months';

export const OPSGENIE_API = 'https://api.opsgenie.com';
const DAY_MS = 86_400_000;

/**
 * The timeline length that covers [since, until) from `since`, in the smallest unit that keeps the number
 * small, with one unit to spare: Opsgenie may begin the timeline at the start of the day in the schedule's
 * own time zone, before `since`.
 */
export function timelineInterval(since: Date, until: Date): { interval: number; intervalUnit: IntervalUnit } {
  const days = Math.max(1, Math.ceil((until.getTime() - since.getTime()) / DAY_MS));
  if (days + 1 <= 31) return { interval: days + 1, intervalUnit: 'days' };
  const weeks = Math.ceil(days / 7) + 1;
  if (weeks <= 13) return { interval: weeks, intervalUnit: 'weeks' };
  // The shortest month has 28 days, so this many months always reach `until`.
  return { interval: Math.ceil(days / 28) + 1, intervalUnit: 'months' };
}

export async function fetchOpsgenieShifts(
  config: OpsgenieConfig,
  since: Date,
  until: Date,
  opts: FetchOptions = {},
): Promise<ProviderShift[]> {
  if (until.getTime() <= since.getTime()) return [];
  const { interval, intervalUnit } = timelineInterval(since, until);
  const what = `the Opsgenie timeline of schedule ${config.scheduleId}`;
  const { data, fail } = await getData(config, what, 'timeline', opts, {
    identifierType: 'id',
    date: since.toISOString(),
    interval: String(interval),
    intervalUnit,
  });
  const timeline = data.finalTimeline;
  if (timeline === undefined || timeline === null) return [];
  if (!isRecord(timeline) || !Array.isArray(timeline.rotations ?? []))
    throw fail('`finalTimeline.rotations` is not a list');
  const shifts: ProviderShift[] = [];
  for (const rotation of (timeline.rotations ?? []) as unknown[]) {
    if (!isRecord(rotation) || !Array.isArray(rotation.periods ?? []))
      throw fail('a rotation has no list of periods');
    for (const period of (rotation.periods ?? []) as unknown[]) {
      if (!isRecord(period)) throw fail('a period is not an object');
      const start = instant(period.startDate);
      const end = instant(period.endDate);
      if (!start || !end) throw fail('a period has a missing or unreadable startDate or endDate');
      for (const recipient of recipientsOf(period)) {
        const who = recipientPerson(recipient);
        const shift = who && clipped(who, start, end, since, until);
        if (shift) shifts.push(shift);
      }
    }
  }
  return distinctShifts(shifts);
}

/** The people Opsgenie has on call for the schedule at `at`, by username (e-mail). */
export async function fetchOpsgenieOnCallNow(
  config: OpsgenieConfig,
  at: Date,
  opts: FetchOptions = {},
): Promise<OnCallPerson[]> {
  const what = `the Opsgenie on-calls of schedule ${config.scheduleId}`;
  const { data, fail } = await getData(config, what, 'on-calls', opts, {
    scheduleIdentifierType: 'id',
    flat: 'true',
    date: at.toISOString(),
  });
  const recipients = data.onCallRecipients ?? [];
  if (!Array.isArray(recipients)) throw fail('`onCallRecipients` is not a list');
  const names = [...new Set(recipients.map(nonEmptyString).filter((n) => n !== undefined))];
  return names.map((name) => person(name, [name]));
}

async function getData(
  config: OpsgenieConfig,
  what: string,
  endpoint: 'timeline' | 'on-calls',
  opts: FetchOptions,
  query: Record<string, string>,
) {
  const base = httpUrl(config.baseUrl || OPSGENIE_API, 'config.baseUrl');
  const url =
    `${base.href.replace(/\/+$/, '')}/v2/schedules/${encodeURIComponent(config.scheduleId)}/${endpoint}` +
    `?${new URLSearchParams(query).toString()}`;
  const body = await getJson(
    {
      url,
      what,
      headers: { authorization: `GenieKey ${config.apiKey}`, accept: 'application/json' },
      secrets: [config.apiKey],
    },
    opts,
  );
  const fail = (problem: string) =>
    new ProviderError('bad_response', `Could not read ${what} from ${base.host}: ${problem}`);
  if (!isRecord(body) || !isRecord(body.data)) throw fail('the answer has no `data` object');
  return { data: body.data, fail };
}

/** Historical periods name who was actually reached in `flattenedRecipients`; others name one recipient. */
function recipientsOf(period: Record<string, unknown>): unknown[] {
  const flattened = period.flattenedRecipients;
  if (Array.isArray(flattened) && flattened.length > 0 && period.type === 'historical') return flattened;
  return period.recipient === undefined ? [] : [period.recipient];
}

/**
 * A user becomes a person to match by username; a team, escalation or other kind of recipient cannot be one
 * Latch user, so it becomes a shift without identifiers, reported as unmatched under a label saying what it
 * is. `none` is a rotation slot with nobody in it: no shift.
 */
function recipientPerson(recipient: unknown): Person | null {
  if (!isRecord(recipient)) return person('an Opsgenie period without a recipient', []);
  const type = nonEmptyString(recipient.type)?.toLowerCase();
  const name = nonEmptyString(recipient.name);
  const id = nonEmptyString(recipient.id);
  if (type === 'none') return null;
  if (type === 'user') return person(name ?? `Opsgenie user ${id ?? '(no id)'}`, [name]);
  const what = type ? `Opsgenie ${type}` : 'Opsgenie recipient of unknown type';
  return person(`${what} ${name ?? id ?? '(unnamed)'} (not a single user)`, []);
}
