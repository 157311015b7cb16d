import { sql, type Kysely, type Transaction } from 'kysely';
import type { Decision } from '../domain/access-reviews/decisions.js';
import type { Database } from './schema.js';
import type { ReviewRowRecord } from './schema-access-reviews.js';
import {
  blockRowPositions,
  blockRowReviewers,
  blockRowsAt,
  materializeRows,
} from './access-review-virtual-rows.js';

type Db = Kysely<Database> | Transaction<Database>;

// The rows of a campaign: pages of them (all, or a reviewer's in row order), their reviewers, the rows a decision
// names, and the decision itself. A row is in access_review_rows, or, for nested access nothing has been said of
// yet, read from its edge's block (access-review-virtual-rows.ts); each read here asks both.

/** A row with the groups of its nesting path (null for a row given by a grant on the item itself). */
export type ReviewRowWithPath = ReviewRowRecord & { group_ids: string[] | null };

export type DecisionFilter = Decision | 'undecided';

export interface RowPageFilter {
  /** Rows any of these users is assigned. */
  reviewerIds?: string[] | undefined;
  decision?: DecisionFilter | undefined;
  /** Rows about this user's access. */
  userId?: string | undefined;
  /** Rows about this group or resource. */
  itemId?: string | undefined;
  afterPosition?: number | undefined;
  limit: number;
}

const decisionIs = (alias: string, d: DecisionFilter | undefined) => {
  if (d === undefined) return sql`true`;
  const col = sql.ref(`${alias}.decision`);
  return d === 'undecided' ? sql`${col} is null` : sql`${col} = ${d}`;
};

/** The filter's conditions on a row (decision, user, item) under `alias`. */
const matches = (alias: string, f: RowPageFilter) => {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const user = f.userId === undefined ? sql`true` : sql`${col('user_id')} = ${f.userId}`;
  const item = f.itemId === undefined ? sql`true` : sql`${col('item_id')} = ${f.itemId}`;
  return sql`${decisionIs(alias, f.decision)} and ${user} and ${item}`;
};

export async function pageReviewRows(
  db: Db,
  reviewId: string,
  f: RowPageFilter,
): Promise<ReviewRowWithPath[]> {
  const after = f.afterPosition ?? 0;
  const mine = f.reviewerIds
    ? sql`and r.position in (${reviewerPositions(reviewId, f.reviewerIds, f)})`
    : sql``;
  const stored = await sql<ReviewRowWithPath>`select r.*, p.group_ids from access_review_rows r
    left join access_review_paths p on p.review_id = r.review_id and p.path_no = r.path_no
    where r.review_id = ${reviewId} and r.position > ${after} and ${matches('r', f)} ${mine}
    order by r.position limit ${f.limit}`.execute(db);
  // Rows read from blocks have no decision yet.
  if (f.decision !== undefined && f.decision !== 'undecided') return stored.rows;
  const fromBlocks = await blockRowsAt(
    db,
    reviewId,
    await blockRowPositions(db, reviewId, { ...f, afterPosition: after }),
  );
  if (fromBlocks.length === 0) return stored.rows;
  return [...stored.rows, ...fromBlocks].sort((a, b) => a.position - b.position).slice(0, f.limit);
}

/**
 * The first `f.limit` positions after `f.afterPosition` among the rows any of `reviewerIds` reviews: rows of the
 * items they review (an item's rows are numbered in one run, so these are read item by item in row order), and
 * own_reviewers rows assigned to them (through the assignments' primary key in row order). Read from the items
 * they review, found by reviewer: walking the campaign's items in row order to find theirs read thousands.
 */
function reviewerPositions(reviewId: string, reviewerIds: string[], f: RowPageFilter) {
  const after = f.afterPosition ?? 0;
  const reviewers = sql`${sql.val(reviewerIds)}::text[]`;
  const item = f.itemId === undefined ? sql`true` : sql`i.item_id = ${f.itemId}`;
  return sql`select x.position from (
      select r.position
      from (select distinct ir.item_id from access_review_item_reviewers ir
            where ir.review_id = ${reviewId} and ir.reviewer_id = any(${reviewers})) mine
      join access_review_items i on i.review_id = ${reviewId} and i.item_id = mine.item_id
      cross join lateral (
        select r.position from access_review_rows r
        where r.review_id = ${reviewId} and r.position between i.first_position and i.last_position
          and r.position > ${after} and not r.own_reviewers and ${matches('r', f)}
        order by r.position limit ${f.limit}) r
      where i.shared_rows > 0 and i.last_position > ${after} and ${item}
      order by i.first_position, r.position limit ${f.limit}
    ) x
    union
    select y.position from unnest(${reviewers}) as rv(id)
    cross join lateral (
      select a.position from access_review_assignments a
      join access_review_rows r on r.review_id = a.review_id and r.position = a.position
      where a.review_id = ${reviewId} and a.reviewer_id = rv.id and a.position > ${after} and r.own_reviewers
        and ${matches('r', f)}
      order by a.position limit ${f.limit}) y`;
}

export async function rowsByPositions(
  db: Db,
  reviewId: string,
  positions: number[],
): Promise<ReviewRowWithPath[]> {
  if (positions.length === 0) return [];
  const result = await sql<ReviewRowWithPath>`select r.*, p.group_ids from access_review_rows r
    left join access_review_paths p on p.review_id = r.review_id and p.path_no = r.path_no
    where r.review_id = ${reviewId} and r.position = any(${sql.val(positions)}::int[])
    order by r.position`.execute(db);
  if (result.rows.length === new Set(positions).size) return result.rows;
  const found = new Set(result.rows.map((r) => r.position));
  const fromBlocks = await blockRowsAt(
    db,
    reviewId,
    positions.filter((p) => !found.has(p)),
  );
  return [...result.rows, ...fromBlocks].sort((a, b) => a.position - b.position);
}

/** The reviewers of each row: its own (own_reviewers), or its item's (also for a row read from a block). */
export async function reviewersOfRows(
  db: Db,
  reviewId: string,
  positions: number[],
): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>(positions.map((p) => [p, []]));
  if (positions.length === 0) return map;
  const at = sql`${sql.val(positions)}::int[]`;
  const result = await sql<{ position: number; reviewer_id: string }>`
    select r.position, a.reviewer_id from access_review_rows r
      join access_review_assignments a on a.review_id = r.review_id and a.position = r.position
      where r.review_id = ${reviewId} and r.position = any(${at}) and r.own_reviewers
    union all
    select r.position, ir.reviewer_id from access_review_rows r
      join access_review_item_reviewers ir on ir.review_id = r.review_id and ir.item_id = r.item_id
      where r.review_id = ${reviewId} and r.position = any(${at}) and not r.own_reviewers
    order by reviewer_id`.execute(db);
  const fromBlocks = await blockRowReviewers(db, reviewId, positions);
  // A position is stored or read from a block, never both: its reviewers come from one of the two, in order.
  for (const r of [...result.rows, ...fromBlocks]) map.get(r.position)?.push(r.reviewer_id);
  return map;
}

export interface RecordedDecision {
  decision: Decision;
  keepUntil: Date | null;
  comment: string | null;
  by: string;
  at: Date;
}

export async function recordDecision(
  trx: Transaction<Database>,
  reviewId: string,
  positions: number[],
  d: RecordedDecision,
): Promise<void> {
  await materializeRows(trx, reviewId, positions);
  await trx
    .updateTable('access_review_rows')
    .set({
      decision: d.decision,
      keep_until: d.keepUntil,
      comment: d.comment,
      decided_by: d.by,
      decided_at: d.at,
    })
    .where('review_id', '=', reviewId)
    .where(sql<boolean>`position = any(${sql.val(positions)}::int[])`)
    .execute();
}

/** The campaign's items as its snapshot named them. */
export async function reviewItems(
  db: Db,
  reviewId: string,
  itemIds: string[],
): Promise<Map<string, { type: 'group' | 'resource'; name: string }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('access_review_items')
    .select(['item_id', 'item_type', 'name'])
    .where('review_id', '=', reviewId)
    .where('item_id', 'in', [...new Set(itemIds)])
    .execute();
  return new Map(rows.map((r) => [r.item_id, { type: r.item_type as 'group' | 'resource', name: r.name }]));
}
