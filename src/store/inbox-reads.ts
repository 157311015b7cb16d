import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// How far each person has read their inbox.

export async function seenThrough(db: Db, userId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('inbox_reads')
    .select('seen_through')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? new Date(row.seen_through) : null;
}

/** Moves the mark forward only: reading on one device never makes newer items unread on another. */
export async function markSeenThrough(db: Db, userId: string, through: Date): Promise<void> {
  await db
    .insertInto('inbox_reads')
    .values({ user_id: userId, seen_through: through })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ seen_through: through })
        .where('inbox_reads.seen_through', '<', through),
    )
    .execute();
}
