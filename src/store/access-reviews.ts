import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  AccessReview,
  ReviewerProgress,
  ReviewerType,
  ReviewSettings,
  ReviewStatus,
} from '../domain/access-reviews/campaign.js';
import type { Database } from './schema.js';
import type { AccessReviewRow } from './schema-access-reviews.js';

type Db = Kysely<Database> | Transaction<Database>;

// Access review campaigns: their own row, its counters and each reviewer's progress.

export function toAccessReview(r: AccessReviewRow, byReviewer: ReviewerProgress[]): AccessReview {
  return {
    id: r.id,
    name: r.name,
    status: r.status as ReviewStatus,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    deadline: r.deadline.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    closedBy: r.closed_by,
    scope: r.scope,
    reviewers: { ...r.reviewers, type: r.reviewers.type as ReviewerType },
    autoRevokeUnreviewed: r.auto_revoke_unreviewed,
    allowSelfReview: r.allow_self_review,
    rowCount: r.row_count,
    progress: { total: r.total, decided: r.decided, byReviewer },
    outcome: r.outcome,
  };
}

export async function insertAccessReview(
  trx: Transaction<Database>,
  id: string,
  s: ReviewSettings,
  createdBy: string,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('access_reviews')
    .values({
      id,
      name: s.name,
      scope: JSON.stringify(s.scope),
      reviewers: JSON.stringify(s.reviewers),
      auto_revoke_unreviewed: s.autoRevokeUnreviewed,
      allow_self_review: s.allowSelfReview,
      created_by: createdBy,
      created_at: now,
      deadline: s.deadline,
    })
    .execute();
}

/** Reads a campaign; `lock` is 'update' for changes that must see its final state (closing, counters). */
export async function findAccessReview(
  db: Db,
  id: string,
  lock?: 'update' | 'share',
): Promise<AccessReviewRow | undefined> {
  let q = db.selectFrom('access_reviews').selectAll().where('id', '=', id);
  if (lock === 'update') q = q.forUpdate();
  if (lock === 'share') q = q.forShare();
  return q.executeTakeFirst();
}

export interface ReviewListFilter {
  status?: ReviewStatus | undefined;
  /** Only campaigns this user reviews (their own rows, or rows delegated to them now). */
  reviewerId?: string | undefined;
  now: Date;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first. */
export async function listAccessReviews(db: Db, f: ReviewListFilter): Promise<AccessReviewRow[]> {
  let q = db.selectFrom('access_reviews').selectAll().orderBy('id', 'desc').limit(f.limit);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  if (f.reviewerId) {
    const userId = f.reviewerId;
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('access_review_reviewers as v')
            .select('v.review_id')
            .whereRef('v.review_id', '=', 'access_reviews.id')
            .where('v.reviewer_id', '=', userId),
        ),
        eb.exists(
          eb
            .selectFrom('access_review_delegations as d')
            .select('d.review_id')
            .whereRef('d.review_id', '=', 'access_reviews.id')
            .where('d.to_user_id', '=', userId)
            .where('d.until', '>', f.now),
        ),
      ]),
    );
  }
  return q.execute();
}

/** Each reviewer's progress, for a page of campaigns in one query. */
export async function progressByReviewer(
  db: Db,
  reviewIds: string[],
): Promise<Map<string, ReviewerProgress[]>> {
  const map = new Map<string, ReviewerProgress[]>(reviewIds.map((id) => [id, []]));
  if (reviewIds.length === 0) return map;
  const rows = await db
    .selectFrom('access_review_reviewers')
    .selectAll()
    .where('review_id', 'in', reviewIds)
    .orderBy('reviewer_id')
    .execute();
  for (const r of rows)
    map.get(r.review_id)?.push({ reviewerId: r.reviewer_id, total: r.total, decided: r.decided });
  return map;
}

/** Whether the user has rows of the campaign assigned to them. */
export async function isAssignedReviewer(db: Db, reviewId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('access_review_reviewers')
    .select('reviewer_id')
    .where('review_id', '=', reviewId)
    .where('reviewer_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the user reviews rows of a campaign still open (and so hands them over to people they pick). */
export async function reviewsAnOpenCampaign(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('access_review_reviewers as v')
    .innerJoin('access_reviews as r', 'r.id', 'v.review_id')
    .select('v.review_id')
    .where('v.reviewer_id', '=', userId)
    .where('r.status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Counts rows newly decided: the campaign's and each of their reviewers'. `positions` are rows that needed a
 * decision and had none before this change; `reviewers` holds each row's reviewers (reviewersOfRows).
 */
export async function countDecided(
  trx: Transaction<Database>,
  reviewId: string,
  positions: number[],
  reviewers: Map<number, string[]>,
): Promise<void> {
  if (positions.length === 0) return;
  await trx
    .updateTable('access_reviews')
    .set((eb) => ({ decided: eb('decided', '+', positions.length) }))
    .where('id', '=', reviewId)
    .execute();
  const perReviewer = new Map<string, number>();
  for (const p of positions)
    for (const id of reviewers.get(p) ?? []) perReviewer.set(id, (perReviewer.get(id) ?? 0) + 1);
  await sql`update access_review_reviewers v set decided = v.decided + n.count
    from unnest(${sql.val([...perReviewer.keys()])}::text[], ${sql.val([...perReviewer.values()])}::int[])
      as n(reviewer_id, count)
    where v.review_id = ${reviewId} and v.reviewer_id = n.reviewer_id`.execute(trx);
}

export async function markReviewClosed(
  trx: Transaction<Database>,
  id: string,
  at: Date,
  by: string | null,
  outcome: Record<string, number>,
): Promise<AccessReviewRow> {
  return trx
    .updateTable('access_reviews')
    .set({ status: 'closed', closed_at: at, closed_by: by, outcome: JSON.stringify(outcome) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
