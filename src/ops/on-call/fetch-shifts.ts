import { builtinShifts } from '../../domain/on-call/builtin-rotation.js';
import { icalShifts } from '../../domain/on-call/ical-shifts.js';
import { matchShifts } from '../../domain/on-call/match-shifts.js';
import { joinSecret } from '../../domain/on-call/schedules.js';
import type {
  BuiltinConfig,
  OnCallProvider,
  ProviderShift,
  Shift,
  UnmatchedShift,
} from '../../domain/on-call/shifts.js';
import { fetchIcalFeed } from './providers/ical-feed.js';
import { fetchOpsgenieShifts } from './providers/opsgenie.js';
import { fetchPagerDutyShifts } from './providers/pagerduty.js';
import type { OnCallScheduleRow } from '../../store/schema-on-call.js';
import { directoryFor } from '../../store/user-directory.js';
import type { OpsDeps } from '../shared/deps.js';
import type { FetchOptions } from './providers/http-get.js';
import { PUBLIC_ONLY } from '../shared/outbound/policy.js';
import { openScheduleSecret } from '../secrets/index.js';

// Asks a schedule's provider who is on call over a window and matches the people to Latch users. Network I/O:
// never called inside a transaction.

export interface FetchedShifts {
  shifts: Shift[];
  unmatched: UnmatchedShift[];
}

/** The span a sync covers: a day back (shifts under way) and two weeks ahead, or fewer very short shifts. */
export function syncWindow(row: OnCallScheduleRow, now: Date): { start: Date; end: Date } {
  let ahead = 14 * 24 * 3600_000;
  if (row.provider === 'builtin') {
    const layers = (row.config as unknown as BuiltinConfig).layers ?? [];
    const shortest = Math.min(...layers.map((l) => (l.shiftSeconds ?? (l.shiftMinutes ?? 1) * 60) * 1000));
    // A thousand of the shortest shifts ahead: 2-second rotations must not expand into a million shifts.
    if (Number.isFinite(shortest)) ahead = Math.min(ahead, Math.max(60_000, shortest * 1000));
  }
  // Back as far as ahead, at most a day: enough to cover the shifts under way.
  const back = Math.min(24 * 3600_000, ahead);
  return { start: new Date(now.getTime() - back), end: new Date(now.getTime() + ahead) };
}

async function providerShifts(
  provider: Exclude<OnCallProvider, 'builtin'>,
  config: Record<string, unknown>,
  start: Date,
  end: Date,
  opts: FetchOptions,
): Promise<ProviderShift[]> {
  const s = (k: string) => config[k] as string;
  const baseUrl = config.baseUrl as string | undefined;
  switch (provider) {
    case 'ical': {
      const text = await fetchIcalFeed(s('url'), opts);
      const timezone = config.timezone as string | undefined;
      return icalShifts(text, start, end, timezone ? { timezone } : {}).shifts;
    }
    case 'pagerduty':
      return fetchPagerDutyShifts(
        { scheduleId: s('scheduleId'), apiToken: s('apiToken'), ...(baseUrl ? { baseUrl } : {}) },
        start,
        end,
        opts,
      );
    case 'opsgenie':
      return fetchOpsgenieShifts(
        { scheduleId: s('scheduleId'), apiKey: s('apiKey'), ...(baseUrl ? { baseUrl } : {}) },
        start,
        end,
        opts,
      );
  }
}

/** Who the provider says is on call in [start, end), as Latch users, plus what could not be matched. */
export async function fetchOnCallShifts(
  deps: Pick<OpsDeps, 'db' | 'keys' | 'outbound'>,
  row: OnCallScheduleRow,
  start: Date,
  end: Date,
): Promise<FetchedShifts> {
  const provider = row.provider as OnCallProvider;
  if (provider === 'builtin')
    return { shifts: builtinShifts(row.config as unknown as BuiltinConfig, start, end), unmatched: [] };
  // Opened only now, to fetch; a key that does not open it fails the sync with a message saying so.
  const secret = openScheduleSecret(deps.keys, row);
  const raw = await providerShifts(provider, joinSecret(provider, row.config, secret), start, end, {
    outbound: deps.outbound ?? PUBLIC_ONLY,
  });
  const directory = await directoryFor(
    deps.db,
    raw.flatMap((r) => r.emails),
    raw.flatMap((r) => r.names),
  );
  const { matched, unmatched } = matchShifts(raw, directory);
  return { shifts: matched, unmatched };
}
