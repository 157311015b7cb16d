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

// Who PagerDuty says is on call for one schedule, from its REST API v2 `GET /oncalls` (the on-call entries of
// the final schedule, overrides included). PagerDuty insists on its versioned Accept header and on
// `Content-Type: application/json` even on a GET; the token goes in `Authorization: Token token=...`.

export interface PagerDutyConfig {
  scheduleId: string;
  apiToken: string;
  baseUrl?: string | null;
}

export interface PagerDutyOptions extends FetchOptions {
  /** Pages of `PAGE_SIZE` entries read at most; a schedule with more is refused, never silently cut. */
  maxPages?: number;
}

export const PAGERDUTY_API = 'https://api.pagerduty.com';
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export async function fetchPagerDutyShifts(
  config: PagerDutyConfig,
  since: Date,
  until: Date,
  opts: PagerDutyOptions = {},
): Promise<ProviderShift[]> {
  if (until.getTime() <= since.getTime()) return [];
  const base = httpUrl(config.baseUrl || PAGERDUTY_API, 'config.baseUrl');
  const what = `PagerDuty on-calls of schedule ${config.scheduleId}`;
  const fail = (problem: string) =>
    new ProviderError('bad_response', `Could not read ${what} from ${base.host}: ${problem}`);
  const maxPages = opts.maxPages ?? MAX_PAGES;
  const shifts: ProviderShift[] = [];
  let offset = 0;
  for (let page = 1; ; page++) {
    const body = await getJson(
      {
        url: pageUrl(base, config.scheduleId, since, until, offset),
        what,
        headers: {
          authorization: `Token token=${config.apiToken}`,
          accept: 'application/vnd.pagerduty+json;version=2, application/json;q=0.9',
          'content-type': 'application/json',
        },
        secrets: [config.apiToken],
      },
      opts,
    );
    if (!isRecord(body) || !Array.isArray(body.oncalls)) throw fail('the answer has no `oncalls` list');
    for (const entry of body.oncalls) {
      const shift = entryShift(entry, config.scheduleId, since, until, fail);
      if (shift) shifts.push(shift);
    }
    if (body.more !== true) break;
    // Entries may be appended or removed between pages; offset paging is the API's only kind, so accept it.
    if (body.oncalls.length === 0) throw fail('it said more on-calls follow but sent none');
    if (page >= maxPages)
      throw new ProviderError(
        'too_large',
        `Could not fetch ${what} from ${base.host}: more than ${maxPages * PAGE_SIZE} on-call entries`,
      );
    offset += body.oncalls.length;
  }
  return distinctShifts(shifts);
}

function pageUrl(base: URL, scheduleId: string, since: Date, until: Date, offset: number): string {
  const q = new URLSearchParams();
  q.append('schedule_ids[]', scheduleId);
  q.append('since', since.toISOString());
  q.append('until', until.toISOString());
  q.append('include[]', 'users');
  q.append('limit', String(PAGE_SIZE));
  q.append('offset', String(offset));
  return `${base.href.replace(/\/+$/, '')}/oncalls?${q.toString()}`;
}

/**
 * One on-call entry as a shift of the schedule, or null when it belongs to another schedule (a direct user
 * target of an escalation policy, say) or lies outside the window. A null start or end means the entry is
 * open on that side: it covers the window up to its other bound.
 */
function entryShift(
  entry: unknown,
  scheduleId: string,
  since: Date,
  until: Date,
  fail: (problem: string) => ProviderError,
): ProviderShift | null {
  if (!isRecord(entry)) throw fail('an on-call entry is not an object');
  if (!isRecord(entry.schedule) || entry.schedule.id !== scheduleId) return null;
  const start = instant(entry.start);
  const end = instant(entry.end);
  if (start === null || end === null) throw fail('an on-call entry has an unreadable start or end');
  return clipped(userOf(entry.user), start ?? since, end ?? until, since, until);
}

/** With `include[]=users` the entry carries the full user (`email`, `name`); without, only a reference. */
function userOf(user: unknown): Person {
  if (!isRecord(user)) return person('a PagerDuty on-call entry without a user', []);
  const email = nonEmptyString(user.email);
  const name = nonEmptyString(user.name);
  const summary = nonEmptyString(user.summary);
  const id = nonEmptyString(user.id);
  const label = summary ?? name ?? email ?? `PagerDuty user ${id ?? '(no id)'}`;
  return person(label, [email, name, summary]);
}
