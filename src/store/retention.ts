import { sql, type Kysely, type Transaction } from 'kysely';
import { pickedBy, rowId } from './picked-rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Pruning of finished bookkeeping (the rules and their reasons: domain/retention.ts). Each call deletes one
// bounded batch; rows are taken FOR UPDATE SKIP LOCKED, so processes pruning at once delete disjoint rows and
// each deleted row is counted by exactly one of them.

/** Deletes up to `limit` notices no longer pending and created before `before`; returns how many. */
export async function pruneFinishedNotices(db: Db, before: Date, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('outbox')
    .where(
      pickedBy(
        db
          .selectFrom('outbox')
          .select(rowId)
          // Sent, skipped or failed for good: the predicate of outbox_finished_idx.
          .where('status', '<>', 'pending')
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      ),
    )
    .returning('id')
    .execute();
  return rows.length;
}

/** Deletes up to `limit` sessions whose hard end is before `before`; returns how many. */
export async function pruneEndedSessions(db: Db, before: Date, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('sessions')
    .where(
      pickedBy(
        db
          .selectFrom('sessions')
          .select(rowId)
          .where('expires_at', '<', before)
          .orderBy('expires_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      ),
    )
    .returning('id')
    .execute();
  return rows.length;
}

/** The oldest finished notice's creation and the earliest session end: what becomes prunable first. */
export async function oldestPrunable(
  db: Db,
): Promise<{ noticeCreatedAt: Date | null; sessionExpiresAt: Date | null; keyCreatedAt: Date | null }> {
  const { rows } = await sql<{ notice: Date | null; session: Date | null; key: Date | null }>`
    select
      (select min(created_at) from outbox where status <> 'pending') as notice,
      (select min(expires_at) from sessions) as session,
      (select min(created_at) from idempotency_keys) as key`.execute(db);
  return {
    noticeCreatedAt: rows[0]?.notice ?? null,
    sessionExpiresAt: rows[0]?.session ?? null,
    keyCreatedAt: rows[0]?.key ?? null,
  };
}
