import { AppError, forbidden, RateLimitedError } from '../../domain/errors.js';
import { onCallAt } from '../../domain/on-call/match-shifts.js';
import type { Shift } from '../../domain/on-call/shifts.js';
import type { TokenBucketPolicy } from '../../domain/token-bucket.js';
import type { Actor } from '../../domain/users.js';
import { ProviderError } from './providers/provider-error.js';
import type { OnCallScheduleRow } from '../../store/schema-on-call.js';
import type { OpsDeps } from '../shared/deps.js';
import { fetchOnCallShifts } from './fetch-shifts.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

// An admin asking a remote schedule's provider who is on call at a time the stored shifts do not cover. It
// uses the schedule's stored credentials and makes a call on the admin's behalf, so it is limited per schedule
// (a provider's own rate limit is shared with the sync job) and audited before the call is made, so that even
// a call that never returns is on record.

/** A few at once, then one every 20 seconds, per schedule. */
export const LIVE_FETCH_BUDGET: TokenBucketPolicy = { capacity: 3, refillMs: 20_000 };

const DAY = 24 * 3600_000;

export async function fetchOnCallLive(
  deps: OpsDeps,
  actor: Actor,
  row: OnCallScheduleRow,
  at: Date,
): Promise<Shift[]> {
  authorize(
    actor,
    'schedule',
    'fetchLive',
    {},
    'only admins can ask an on-call provider directly (live=true)',
  );
  const limiter = deps.liveOnCallFetches;
  if (!limiter) throw forbidden('live on-call fetches are not available on this server');
  const taken = limiter.take(row.id, deps.now());
  if (!taken.ok) {
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    throw new RateLimitedError(
      `too many live fetches of on-call schedule '${row.id}'; try again in ${seconds} s`,
      seconds,
    );
  }
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'on_call.live_fetch_requested',
        actorId: actor.id,
        subjects: [{ type: 'on_call_schedule', id: row.id }],
        data: { at: at.toISOString(), provider: row.provider },
      },
    ],
  }));
  try {
    const fetched = await fetchOnCallShifts(
      deps,
      row,
      new Date(at.getTime() - DAY),
      new Date(at.getTime() + DAY),
    );
    return onCallAt(fetched.shifts, at);
  } catch (err) {
    // Only admins get here, and they may read what the provider said.
    const detail = err instanceof ProviderError && err.detail ? ` (the provider said: ${err.detail})` : '';
    throw new AppError(
      'provider_unavailable',
      `the ${row.provider} schedule could not be read for ${at.toISOString()}: ${err instanceof Error ? err.message : String(err)}${detail}`,
    );
  }
}
