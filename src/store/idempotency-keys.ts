import type { Kysely, Transaction } from 'kysely';
import { pickedBy, rowId } from './picked-rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredAttempt {
  fingerprint: string;
  resultSealed: string | null;
}

/**
 * Claims (actor, key) for this transaction, or returns the attempt that claimed it first. A concurrent claim of
 * the same key waits on the first one's row until it commits (then sees its attempt) or rolls back (then claims).
 */
export async function claimIdempotencyKey(
  trx: Transaction<Database>,
  row: { actorId: string; key: string; fingerprint: string; now: Date },
): Promise<StoredAttempt | undefined> {
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({ actor_id: row.actorId, key: row.key, fingerprint: row.fingerprint, created_at: row.now })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return undefined;
  const prior = await trx
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'result_sealed'])
    .where('actor_id', '=', row.actorId)
    .where('key', '=', row.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { fingerprint: prior.fingerprint, resultSealed: prior.result_sealed };
}

export async function storeIdempotentResult(
  trx: Transaction<Database>,
  row: { actorId: string; key: string; resultSealed: string },
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ result_sealed: row.resultSealed })
    .where('actor_id', '=', row.actorId)
    .where('key', '=', row.key)
    .execute();
}

/** Deletes up to `limit` keys claimed before `before`; returns how many. */
export async function pruneIdempotencyKeys(db: Db, before: Date, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('idempotency_keys')
    .where(
      pickedBy(
        db
          .selectFrom('idempotency_keys')
          .select(rowId)
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      ),
    )
    .returning('key')
    .execute();
  return rows.length;
}
