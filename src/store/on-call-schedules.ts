import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schedule, SyncStatus } from '../domain/on-call/schedules.js';
import type { OnCallProvider } from '../domain/on-call/shifts.js';
import type { Database } from './schema.js';
import type { OnCallScheduleRow } from './schema-on-call.js';

type Db = Kysely<Database> | Transaction<Database>;

// On-call schedule rows: their settings, sync status and the lease one process holds while it fetches.

export const toSchedule = (r: OnCallScheduleRow): Schedule => ({
  id: r.id,
  name: r.name,
  provider: r.provider as OnCallProvider,
  config: r.config,
  syncStatus: r.sync_status as SyncStatus,
  syncError: r.sync_error,
  syncErrorDetail: r.sync_error_detail,
  lastSyncedAt: r.last_synced_at?.toISOString() ?? null,
  lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
  nextSyncAt: r.next_sync_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface NewSchedule {
  id: string;
  name: string;
  provider: OnCallProvider;
  config: Record<string, unknown>;
  /** The provider credential, sealed. */
  sealedSecret: string | null;
  now: Date;
}

export async function insertSchedule(db: Db, s: NewSchedule): Promise<OnCallScheduleRow> {
  return db
    .insertInto('on_call_schedules')
    .values({
      id: s.id,
      name: s.name,
      provider: s.provider,
      config: JSON.stringify(s.config),
      sealed_secret: s.sealedSecret,
      sync_status: 'pending',
      next_sync_at: s.now,
      created_at: s.now,
      updated_at: s.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findScheduleRow(
  db: Db,
  id: string,
  lock = false,
): Promise<OnCallScheduleRow | undefined> {
  let q = db.selectFrom('on_call_schedules').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findScheduleRows(db: Db, ids: string[]): Promise<OnCallScheduleRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('on_call_schedules')
    .selectAll()
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
}

export async function listScheduleRows(
  db: Db,
  f: { afterId?: string | undefined; limit: number },
): Promise<OnCallScheduleRow[]> {
  let q = db
    .selectFrom('on_call_schedules')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(f.limit);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return q.execute();
}

export async function updateScheduleRow(
  db: Db,
  id: string,
  set: {
    name?: string;
    config?: Record<string, unknown>;
    sealedSecret?: string | null;
    nextSyncAt?: Date;
    deletedAt?: Date;
    now: Date;
  },
): Promise<OnCallScheduleRow> {
  return db
    .updateTable('on_call_schedules')
    .set({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.config !== undefined ? { config: JSON.stringify(set.config) } : {}),
      ...(set.sealedSecret !== undefined ? { sealed_secret: set.sealedSecret, secret: null } : {}),
      ...(set.nextSyncAt !== undefined ? { next_sync_at: set.nextSyncAt } : {}),
      ...(set.deletedAt !== undefined ? { deleted_at: set.deletedAt } : {}),
      updated_at: set.now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** When the next schedule falls due for a sync; null when there are none. */
export async function earliestScheduleSync(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('on_call_schedules')
    .select((eb) => eb.fn.min('next_sync_at').as('at'))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string) : null;
}

/**
 * Takes the lease on up to `limit` schedules due at `now` that no other process holds, so the fetch happens
 * outside any transaction and only once across processes.
 */
export async function leaseDueSchedules(
  db: Kysely<Database>,
  now: Date,
  leaseMs: number,
  limit: number,
  onlyId?: string,
): Promise<OnCallScheduleRow[]> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('on_call_schedules')
      .select('id')
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_sync_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    q = onlyId ? q.where('id', '=', onlyId) : q.where('next_sync_at', '<=', now);
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('on_call_schedules')
      .set({ lease_until: new Date(now.getTime() + leaseMs), last_attempt_at: now })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

export interface SyncOutcome {
  status: SyncStatus;
  error: string | null;
  /** The provider's own words about the failure, apart from `error`. */
  detail?: string | null;
  failures: number;
  nextSyncAt: Date;
  syncedAt?: Date;
  window?: { start: Date; end: Date };
}

export async function recordSyncOutcome(db: Db, id: string, o: SyncOutcome): Promise<OnCallScheduleRow> {
  return db
    .updateTable('on_call_schedules')
    .set({
      sync_status: o.status,
      sync_error: o.error,
      sync_error_detail: o.detail ?? null,
      failures: o.failures,
      next_sync_at: o.nextSyncAt,
      lease_until: null,
      ...(o.syncedAt ? { last_synced_at: o.syncedAt } : {}),
      ...(o.window ? { window_start: o.window.start, window_end: o.window.end } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Asks for a sync as soon as possible (a schedule changed, or a group started following it). */
export async function requestSyncNow(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('on_call_schedules')
    .set({ next_sync_at: sql`least(next_sync_at, ${now})` })
    .where('id', 'in', ids)
    .execute();
}
