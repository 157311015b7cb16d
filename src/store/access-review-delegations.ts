import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DelegationRow } from './schema-access-reviews.js';

type Db = Kysely<Database> | Transaction<Database>;

// Delegations: a reviewer's rows handed to another reviewer until a date. One per reviewer and campaign; a new
// one replaces the last.

export async function upsertDelegation(
  trx: Transaction<Database>,
  d: { reviewId: string; fromUserId: string; toUserId: string; until: Date; by: string; at: Date },
): Promise<DelegationRow> {
  const values = {
    review_id: d.reviewId,
    from_user_id: d.fromUserId,
    to_user_id: d.toUserId,
    until: d.until,
    created_by: d.by,
    created_at: d.at,
  };
  return trx
    .insertInto('access_review_delegations')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['review_id', 'from_user_id']).doUpdateSet({
        to_user_id: d.toUserId,
        until: d.until,
        created_by: d.by,
        created_at: d.at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends a reviewer's delegation that is still running (its `until` becomes `now`); undefined when none runs. */
export async function endActiveDelegation(
  trx: Transaction<Database>,
  reviewId: string,
  fromUserId: string,
  now: Date,
): Promise<DelegationRow | undefined> {
  return trx
    .updateTable('access_review_delegations')
    .set({ until: now })
    .where('review_id', '=', reviewId)
    .where('from_user_id', '=', fromUserId)
    .where('until', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function delegationsOf(db: Db, reviewId: string): Promise<DelegationRow[]> {
  return db
    .selectFrom('access_review_delegations')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('from_user_id')
    .execute();
}

/** The delegations of a page of campaigns, in one query. */
export async function delegationsOfReviews(
  db: Db,
  reviewIds: string[],
): Promise<Map<string, DelegationRow[]>> {
  const map = new Map<string, DelegationRow[]>(reviewIds.map((id) => [id, []]));
  if (reviewIds.length === 0) return map;
  const rows = await db
    .selectFrom('access_review_delegations')
    .selectAll()
    .where('review_id', 'in', reviewIds)
    .orderBy('from_user_id')
    .execute();
  for (const r of rows) map.get(r.review_id)?.push(r);
  return map;
}
