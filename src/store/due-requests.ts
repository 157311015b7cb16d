import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** When the earliest pending request lapses (requests_pending_idx), for the time engine's timer. */
export async function earliestRequestLapse(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('requests')
    .select((eb) => eb.fn.min('expires_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
