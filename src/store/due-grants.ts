import { sql, type Kysely, type Transaction } from 'kysely';
import { EXPIRED_END_REASON } from '../domain/grants.js';
import type { ReminderRule } from '../domain/reminders.js';
import type { Database, GrantRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// The grants the time engine has work for: expiries to record, scheduled starts to announce, reminders to send.
// Each "earliest" query tells the scheduler when to wake; each "lock" query takes due rows FOR UPDATE SKIP
// LOCKED, so several processes split the work instead of doing it twice. The predicates match the partial
// indexes of migration 0005.

const toDate = (v: Date | string | null | undefined) => (v == null ? null : new Date(v));

export async function earliestExpiry(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('grants')
    .select((eb) => eb.fn.min('expires_at').as('at'))
    .where('ended_at', 'is', null)
    .where('expires_at', 'is not', null)
    .executeTakeFirst();
  return toDate(row?.at);
}

export async function lockDueExpiries(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<GrantRow[]> {
  return trx
    .selectFrom('grants')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Records the expiry at the time it happened; re-checks `ended_at is null`, so an end made meanwhile stands. */
export async function markExpired(trx: Transaction<Database>, ids: string[]): Promise<GrantRow[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('grants')
    .set({ ended_at: sql`expires_at`, ended_by: null, end_reason: EXPIRED_END_REASON })
    .where('id', 'in', ids)
    .where('ended_at', 'is', null)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.expires_at!.getTime() - b.expires_at!.getTime() || a.id.localeCompare(b.id));
}

const scheduledStart = sql<boolean>`start_recorded_at is null and ended_at is null and starts_at > created_at`;

export async function earliestStart(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('grants')
    .select((eb) => eb.fn.min('starts_at').as('at'))
    .where(scheduledStart)
    .executeTakeFirst();
  return toDate(row?.at);
}

export async function lockDueStarts(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<GrantRow[]> {
  return trx
    .selectFrom('grants')
    .selectAll()
    .where(scheduledStart)
    .where('starts_at', '<=', now)
    .orderBy('starts_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markStartsRecorded(
  trx: Transaction<Database>,
  ids: string[],
  now: Date,
): Promise<GrantRow[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('grants')
    .set({ start_recorded_at: now })
    .where('id', 'in', ids)
    .where(scheduledStart)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || a.id.localeCompare(b.id));
}

/** The SQL twin of ruleApplies() in src/domain/reminders.ts, for grants that have not ended or been reminded. */
const remindable = (rule: ReminderRule, now: Date) =>
  sql<boolean>`g.ended_at is null and g.expires_at > ${now}
    and (g.source = 'break_glass') = ${rule.breakGlass}
    and g.expires_at - g.starts_at >= make_interval(secs => ${rule.minDurationMs / 1000})
    and not exists (select 1 from grant_reminders r where r.grant_id = g.id and r.kind = ${rule.kind})`;

export async function earliestReminder(db: Db, rule: ReminderRule, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('grants as g')
    .select('g.expires_at')
    .where(remindable(rule, now))
    .orderBy('g.expires_at')
    .limit(1)
    .executeTakeFirst();
  return row?.expires_at ? new Date(row.expires_at.getTime() - rule.leadMs) : null;
}

export async function lockDueReminders(
  trx: Transaction<Database>,
  rule: ReminderRule,
  now: Date,
  limit: number,
): Promise<GrantRow[]> {
  return trx
    .selectFrom('grants as g')
    .selectAll('g')
    .where(remindable(rule, now))
    .where('g.expires_at', '<=', new Date(now.getTime() + rule.leadMs))
    .orderBy('g.expires_at')
    .limit(limit)
    .forUpdate('g')
    .skipLocked()
    .execute();
}

/** Records reminders as sent; returns the grant ids that were not recorded before (the ones to notify). */
export async function recordReminders(
  trx: Transaction<Database>,
  grantIds: string[],
  kind: string,
  now: Date,
): Promise<Set<string>> {
  if (grantIds.length === 0) return new Set();
  const rows = await trx
    .insertInto('grant_reminders')
    .values(grantIds.map((id) => ({ grant_id: id, kind, sent_at: now })))
    .onConflict((oc) => oc.columns(['grant_id', 'kind']).doNothing())
    .returning('grant_id')
    .execute();
  return new Set(rows.map((r) => r.grant_id));
}
