import { sql, type Kysely, type Transaction } from 'kysely';
import type { AttemptOutcome } from '../domain/notification-delivery.js';
import { pickedBy, rowId } from './picked-rows.js';
import type { Database, OutboxRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Delivery bookkeeping of the outbox. Claiming is one statement: due rows are locked FOR UPDATE SKIP LOCKED,
// counted as attempted and leased (next_attempt_at pushed past the delivery timeout), then delivered outside any
// transaction. A process that dies mid-delivery leaves the row to be claimed again when its lease runs out.

export async function claimDueNotices(
  db: Db,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  const rows = await db
    .updateTable('outbox')
    .set({ attempts: sql`attempts + 1`, next_attempt_at: new Date(now.getTime() + leaseMs) })
    .where(
      pickedBy(
        db
          .selectFrom('outbox')
          .select(rowId)
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      ),
    )
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
}

export async function recordAttempt(db: Db, id: string, outcome: AttemptOutcome, now: Date): Promise<void> {
  const set =
    outcome.status === 'sent'
      ? { status: 'sent', sent_at: now, last_error: null }
      : outcome.status === 'pending'
        ? { status: 'pending', next_attempt_at: outcome.nextAttemptAt, last_error: outcome.error }
        : { status: outcome.status, last_error: outcome.error };
  await db.updateTable('outbox').set(set).where('id', '=', id).where('status', '=', 'pending').execute();
}

/** When the next pending notice falls due (a retry, or a lease that ran out), for the worker's timer. */
export async function nextNoticeDueAt(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
