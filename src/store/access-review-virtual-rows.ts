import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { CLOSING_EFFECTS } from '../domain/access-reviews/decisions.js';
import { BLOCK_CHUNK } from './access-review-blocks.js';
import type { ReviewRowWithPath } from './access-review-rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// A campaign's nested rows that nothing has been said of yet: no decision, no reviewers of their own, no effect
// of their own. They are not in access_review_rows; each is read from its edge (access_review_edges) and the
// entry of its parent's block at its row number. Once something is said of one, it is written to
// access_review_rows (materializeRows), which from then on answers for that row number.

/**
 * A row's columns as access_review_rows has them, from its edge `e`, block chunk `c`, entry `x` (user_id,
 * from_group_id, ends, k: 1-based within the chunk), path `p` and campaign `rv`.
 */
const ends = sql`least(x.ends, e.ends_at)`;
const needs = sql`(${ends} is null or ${ends} > rv.deadline)`;
const position = sql`(e.first_position + c.chunk_no * ${BLOCK_CHUNK} + x.k - 1)::int`;
const stored = sql`e.review_id, ${position} as position, x.user_id, e.item_id, e.group_id, e.resource_id,
  e.access_level, null::text as grant_id, e.edge_id, e.parent_group_id, p.path_no, ${ends} as access_ends_at,
  ${needs} as needs_decision`;
/** What closing did to a row through its edge: the edge removed, or found gone, when closing acted on it. */
const effect = sql`case e.closing
    when 'removed' then case when rv.auto_revoke_unreviewed and ${needs} then ${CLOSING_EFFECTS.revoked}::text
                             else ${CLOSING_EFFECTS.edgeRemovedForAnother}::text end
    when 'gone' then case when rv.auto_revoke_unreviewed and ${needs} then ${CLOSING_EFFECTS.alreadyEnded}::text end
  end`;
const shown = sql`${stored}, false as own_reviewers, null::text as decision, null::timestamptz as keep_until,
  null::text as decided_by, null::timestamptz as decided_at, null::text as comment, ${effect} as effect,
  p.group_ids`;

const STORED_COLUMNS = sql`review_id, position, user_id, item_id, group_id, resource_id, access_level, grant_id,
  edge_id, parent_group_id, path_no, access_ends_at, needs_decision`;

const notStored = (reviewId: string, pos: RawBuilder<unknown>) =>
  sql`not exists (select 1 from access_review_rows r where r.review_id = ${reviewId} and r.position = ${pos})`;

/**
 * The rows at `positions` that are read from blocks, as `columns`: each block chunk they are in is unnested once,
 * keeping the entries at those positions (joined to the positions instead, a chunk was unnested per position).
 */
function atPositions(reviewId: string, positions: number[], columns: RawBuilder<unknown>) {
  return sql`with spots as (
      select e.edge_id, (w.pos - e.first_position) / ${BLOCK_CHUNK} as chunk_no, array_agg(w.pos) as positions
      from (select distinct unnest(${sql.val(positions)}::int[]) as pos) w
      cross join lateral (
        select e.edge_id, e.first_position, e.row_count from access_review_edges e
        where e.review_id = ${reviewId} and e.first_position <= w.pos
        order by e.first_position desc limit 1) e
      where w.pos < e.first_position + e.row_count and ${notStored(reviewId, sql`w.pos`)}
      group by 1, 2
    )
    select ${columns}
    from spots s
    join access_review_edges e on e.review_id = ${reviewId} and e.edge_id = s.edge_id
    join access_review_blocks c on c.review_id = e.review_id and c.parent_group_id = e.parent_group_id
      and c.chunk_no = s.chunk_no
    cross join lateral (
      select x.* from unnest(c.user_ids, c.from_group_ids, c.ends) with ordinality as x(user_id, from_group_id, ends, k)
      where ${position} = any(s.positions)) x
    left join access_review_paths p on p.review_id = e.review_id and p.edge_id = e.edge_id
      and p.from_group_id = x.from_group_id
    join access_reviews rv on rv.id = e.review_id`;
}

/** The rows at these positions that are read from blocks (not those in access_review_rows), in row order. */
export async function blockRowsAt(
  db: Db,
  reviewId: string,
  positions: number[],
): Promise<ReviewRowWithPath[]> {
  if (positions.length === 0) return [];
  const result = await sql<ReviewRowWithPath>`select * from (${atPositions(reviewId, positions, shown)}) v
    order by v.position`.execute(db);
  return result.rows;
}

/** Writes the rows at these positions that are still read from blocks to access_review_rows, as they read. */
export async function materializeRows(trx: Transaction<Database>, reviewId: string, positions: number[]) {
  if (positions.length === 0) return;
  await sql`insert into access_review_rows (${STORED_COLUMNS})
    ${atPositions(reviewId, positions, stored)}`.execute(trx);
}

/**
 * Writes the nested rows whose user is one of their item's reviewers to access_review_rows, marked own_reviewers
 * (they get reviewers of their own, not their item's): found by looking each reviewer up in the blocks of the
 * item's edges.
 */
export async function materializeOwnRows(trx: Transaction<Database>, reviewId: string): Promise<void> {
  await sql`insert into access_review_rows (${STORED_COLUMNS}, own_reviewers)
    select ${stored}, true
    from access_review_edges e
    join access_review_item_reviewers ir on ir.review_id = e.review_id and ir.item_id = e.item_id
    join access_review_blocks c on c.review_id = e.review_id and c.parent_group_id = e.parent_group_id
      and ir.reviewer_id = any(c.user_ids)
    cross join lateral (select array_position(c.user_ids, ir.reviewer_id) as k) at
    cross join lateral (select c.user_ids[at.k] as user_id, c.from_group_ids[at.k] as from_group_id,
                               c.ends[at.k] as ends, at.k) x
    left join access_review_paths p on p.review_id = e.review_id and p.edge_id = e.edge_id
      and p.from_group_id = x.from_group_id
    join access_reviews rv on rv.id = e.review_id
    where e.review_id = ${reviewId}`.execute(trx);
}

export interface BlockRowFilter {
  afterPosition: number;
  limit: number;
  itemId?: string | undefined;
  userId?: string | undefined;
  /** Rows of the items any of these users reviews. */
  reviewerIds?: string[] | undefined;
}

/**
 * The parents whose blocks can hold this user: a block holds users with a grant on one of its parent's sources,
 * and grants are ended, never deleted, so every group the user ever had a grant on covers the snapshot's.
 */
const parentsReaching = (reviewId: string, userId: string) =>
  sql`select s.parent_group_id from access_review_sources s
    where s.review_id = ${reviewId}
      and s.from_group_id in (select g.group_id from grants g where g.user_id = ${userId} and g.group_id is not null)`;

/**
 * The first `f.limit` positions after `f.afterPosition` of rows read from blocks, of the items and user asked.
 * Positions are walked edge by edge in row order and stop at the limit; a user is looked up once in each block
 * that can hold them.
 */
export async function blockRowPositions(db: Db, reviewId: string, f: BlockRowFilter): Promise<number[]> {
  const item = f.itemId === undefined ? sql`true` : sql`e.item_id = ${f.itemId}`;
  const reviewed =
    f.reviewerIds === undefined
      ? sql`true`
      : sql`e.item_id in (select ir.item_id from access_review_item_reviewers ir
          where ir.review_id = ${reviewId} and ir.reviewer_id = any(${sql.val(f.reviewerIds)}::text[]))`;
  const edges = sql`(select e.* from access_review_edges e where e.review_id = ${reviewId}
    and e.first_position + e.row_count - 1 > ${f.afterPosition} and ${item} and ${reviewed})`;
  if (f.userId !== undefined) {
    const result = await sql<{
      pos: number;
    }>`select (e.first_position + h.chunk_no * ${BLOCK_CHUNK} + h.k - 1)::int as pos
      from ${edges} e
      join (select c.parent_group_id, c.chunk_no, array_position(c.user_ids, ${f.userId}) as k
            from access_review_blocks c
            where c.review_id = ${reviewId} and c.parent_group_id in (${parentsReaching(reviewId, f.userId)})
              and ${f.userId} = any(c.user_ids)) h
        on h.parent_group_id = e.parent_group_id
      where (e.first_position + h.chunk_no * ${BLOCK_CHUNK} + h.k - 1) > ${f.afterPosition}
        and ${notStored(reviewId, sql`(e.first_position + h.chunk_no * ${BLOCK_CHUNK} + h.k - 1)::int`)}
      order by 1 limit ${f.limit}`.execute(db);
    return result.rows.map((r) => r.pos);
  }
  // The series is produced lazily (a set-returning function in a select list), so the limit ends the walk.
  const result = await sql<{ pos: number }>`select s.pos from (
      select e.first_position, e.row_count from ${edges} e order by e.first_position) e
    cross join lateral (
      select generate_series(greatest(e.first_position, ${f.afterPosition + 1}), e.first_position + e.row_count - 1)
        as pos) s
    where ${notStored(reviewId, sql`s.pos`)}
    limit ${f.limit}`.execute(db);
  return result.rows.map((r) => r.pos);
}

/** The item reviewers of the rows at these positions that are read from blocks. */
export async function blockRowReviewers(
  db: Db,
  reviewId: string,
  positions: number[],
): Promise<{ position: number; reviewer_id: string }[]> {
  if (positions.length === 0) return [];
  const result = await sql<{ position: number; reviewer_id: string }>`
    select w.pos as position, ir.reviewer_id from unnest(${sql.val(positions)}::int[]) as w(pos)
    cross join lateral (
      select e.item_id, e.first_position, e.row_count from access_review_edges e
      where e.review_id = ${reviewId} and e.first_position <= w.pos
      order by e.first_position desc limit 1) e
    join access_review_item_reviewers ir on ir.review_id = ${reviewId} and ir.item_id = e.item_id
    where w.pos < e.first_position + e.row_count and ${notStored(reviewId, sql`w.pos`)}
    order by ir.reviewer_id`.execute(db);
  return result.rows;
}

/** The rows read from blocks with positions in (from, to], in row order. */
export async function blockRowsIn(
  db: Db,
  reviewId: string,
  w: { from: number; to: number },
): Promise<ReviewRowWithPath[]> {
  const positions = await sql<{ pos: number }>`select s.pos from (
      select e.first_position, e.row_count from access_review_edges e
      where e.review_id = ${reviewId} and e.first_position <= ${w.to}
        and e.first_position + e.row_count - 1 > ${w.from}) e
    cross join lateral generate_series(greatest(e.first_position, ${w.from + 1}),
      least(e.first_position + e.row_count - 1, ${w.to})) as s(pos)`.execute(db);
  return blockRowsAt(
    db,
    reviewId,
    positions.rows.map((r) => r.pos),
  );
}
