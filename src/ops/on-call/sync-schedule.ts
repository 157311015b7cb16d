import { conflict, notFound } from '../../domain/errors.js';
import {
  nextSyncAfterFailure,
  nextSyncAfterSuccess,
  BUILTIN_REFRESH_MS,
  DEFAULT_SYNC_INTERVAL_MS,
} from '../../domain/on-call/sync-timing.js';
import type { Schedule } from '../../domain/on-call/schedules.js';
import type { Shift, UnmatchedShift } from '../../domain/on-call/shifts.js';
import { type Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { ProviderError } from './providers/provider-error.js';
import {
  findScheduleRow,
  leaseDueSchedules,
  recordSyncOutcome,
  toSchedule,
} from '../../store/on-call-schedules.js';
import {
  linksOfSchedule,
  readShifts,
  readUnmatched,
  replaceShifts,
  replaceUnmatched,
} from '../../store/on-call-shifts.js';
import type { OnCallScheduleRow } from '../../store/schema-on-call.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { fetchOnCallShifts, syncWindow, type FetchedShifts } from './fetch-shifts.js';
import { reconcileLink } from './reconcile-grants.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import { earliestScheduleSync } from '../../store/on-call-schedules.js';

// Fetching a schedule and making the groups that follow it match: the time engine does this when a schedule
// falls due, an admin on demand. A failed fetch keeps the last known shifts (and the grants written from
// them), records the error on the schedule, raises an event and retries with backoff.

const LEASE_MS = 60_000;
const subject = (id: string) => ({ type: 'on_call_schedule', id });

const intervalOf = (row: OnCallScheduleRow, deps: OpsDeps) =>
  row.provider === 'builtin' ? BUILTIN_REFRESH_MS : (deps.onCallSyncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS);

const sameShifts = (a: Shift[], b: Shift[]) =>
  a.length === b.length &&
  a.every((s, i) => s.userId === b[i]!.userId && +s.start === +b[i]!.start && +s.end === +b[i]!.end);
const sameUnmatched = (a: UnmatchedShift[], b: UnmatchedShift[]) =>
  a.length === b.length &&
  a.every((u, i) => u.label === b[i]!.label && +u.start === +b[i]!.start && +u.end === +b[i]!.end);

/** Rewrites the on-call grants of every group following the schedule from its stored shifts. */
export async function reconcileSchedule(trx: Tx, scheduleId: string, now: Date, openEndAt: Date | null) {
  const shifts = await readShifts(trx, scheduleId);
  const events: NewEvent[] = [];
  const refreshBy: (Date | null)[] = [];
  for (const link of await linksOfSchedule(trx, scheduleId)) {
    const out = await reconcileLink(trx, link, shifts, now, openEndAt);
    events.push(...out.events);
    refreshBy.push(out.refreshBy);
  }
  return { events, refreshBy };
}

async function recordSuccess(
  deps: OpsDeps,
  row: OnCallScheduleRow,
  fetched: FetchedShifts,
  window: { start: Date; end: Date },
) {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const current = await findScheduleRow(trx, row.id, true);
    if (!current) return { result: undefined, events: [] };
    const events: NewEvent[] = [];
    const before = await readShifts(trx, row.id);
    const shifts = [...fetched.shifts].sort(
      (a, b) => +a.start - +b.start || a.userId.localeCompare(b.userId),
    );
    const changed = !sameShifts(before, shifts);
    if (changed) await replaceShifts(trx, row.id, shifts);
    if (!sameUnmatched(await readUnmatched(trx, row.id), fetched.unmatched))
      await replaceUnmatched(trx, row.id, fetched.unmatched);
    const reconciled = await reconcileSchedule(trx, row.id, now, window.end);
    const updated = await recordSyncOutcome(trx, row.id, {
      status: 'ok',
      error: null,
      failures: 0,
      syncedAt: now,
      window,
      nextSyncAt: nextSyncAfterSuccess(now, intervalOf(row, deps), window.end, reconciled.refreshBy),
    });
    if (current.sync_status === 'error')
      events.push({
        type: 'on_call.sync_recovered',
        actorId: null,
        subjects: [subject(row.id)],
        data: { after: current.failures },
      });
    if (changed)
      events.push({
        type: 'on_call.shifts_changed',
        actorId: null,
        subjects: [subject(row.id)],
        data: { shifts: shifts.length, unmatched: fetched.unmatched.length },
      });
    return { result: updated, events: [...events, ...reconciled.events] };
  });
}

async function recordFailure(deps: OpsDeps, row: OnCallScheduleRow, err: unknown) {
  const now = deps.now();
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
  // The provider's own words stay apart from Latch's: only admins and auditors are shown them.
  const detail = err instanceof ProviderError ? (err.detail ?? null) : null;
  return runInTransaction(deps, async (trx) => {
    const current = await findScheduleRow(trx, row.id, true);
    if (!current) return { result: undefined, events: [] };
    // The last known shifts still decide: grants keep being written ahead from them.
    const reconciled = await reconcileSchedule(trx, row.id, now, current.window_end);
    const failures = current.failures + 1;
    const updated = await recordSyncOutcome(trx, row.id, {
      status: 'error',
      error: message,
      detail,
      failures,
      nextSyncAt: nextSyncAfterFailure(now, failures, intervalOf(row, deps), reconciled.refreshBy),
    });
    const news =
      current.sync_status !== 'error' ||
      current.sync_error !== message ||
      current.sync_error_detail !== detail;
    const events: NewEvent[] = news
      ? [
          {
            type: 'on_call.sync_failed',
            actorId: null,
            subjects: [subject(row.id)],
            data: { error: message, ...(detail ? { detail } : {}), failures },
          },
        ]
      : [];
    return { result: updated, events: [...events, ...reconciled.events] };
  });
}

/** Fetches one leased schedule and records what came of it; never throws for a provider's failure. */
async function syncLeased(deps: OpsDeps, row: OnCallScheduleRow) {
  const window = syncWindow(row, deps.now());
  let fetched: FetchedShifts;
  try {
    fetched = await fetchOnCallShifts(deps, row, window.start, window.end);
  } catch (err) {
    return recordFailure(deps, row, err);
  }
  return recordSuccess(deps, row, fetched, window);
}

/** The time engine's batch: every schedule due now (up to `limit`), each fetched by one process only. */
export async function syncDueSchedules(deps: OpsDeps, limit: number): Promise<number> {
  const rows = await leaseDueSchedules(deps.db, deps.now(), LEASE_MS, limit);
  for (const row of rows) await syncLeased(deps, row);
  return rows.length;
}

/**
 * A builtin rotation needs no network: its shifts are worked out as soon as it is created or changed, so the
 * groups following it are right before any job runs. Returns the schedule as it then is.
 */
export async function syncIfBuiltin(deps: OpsDeps, schedule: Schedule): Promise<Schedule> {
  if (schedule.provider !== 'builtin') return schedule;
  const [row] = await leaseDueSchedules(deps.db, deps.now(), LEASE_MS, 1, schedule.id);
  const updated = row ? await syncLeased(deps, row) : undefined;
  return updated ? toSchedule(updated) : schedule;
}

/** Fetches a schedule now (admins). */
export async function syncScheduleNow(deps: OpsDeps, actor: Actor, id: string): Promise<Schedule> {
  authorize(actor, 'schedule', 'sync', {}, 'only admins can sync on-call schedules');
  if (!(await findScheduleRow(deps.db, id))) throw notFound('on-call schedule', id);
  const [row] = await leaseDueSchedules(deps.db, deps.now(), LEASE_MS, 1, id);
  if (!row) throw conflict(`on-call schedule '${id}' is being synced right now; try again shortly`);
  const updated = await syncLeased(deps, row);
  if (!updated) throw notFound('on-call schedule', id);
  const schedule = toSchedule(updated);
  // Asked for by a person: recorded whatever the outcome (a failure also writes on_call.sync_failed).
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'on_call.synced',
        actorId: actor.id,
        subjects: [{ type: 'on_call_schedule', id }],
        data: { syncStatus: schedule.syncStatus, lastSyncedAt: schedule.lastSyncedAt },
      },
    ],
  }));
  return schedule;
}

/** When the next schedule falls due for a fetch; null when none will. */
export const nextScheduleSyncAt = (deps: Pick<OpsDeps, 'db'>) => earliestScheduleSync(deps.db);
