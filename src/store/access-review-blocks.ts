import { sql, type Transaction } from 'kysely';
import type { EdgeIntoItem } from './access-review-scope.js';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

// The access nesting passes on, as a campaign's snapshot keeps it: once per parent group (its block of users),
// not once per user and edge. Each edge into an item owns a run of row numbers, one per user of its parent's
// block, in block order; access-review-virtual-rows.ts reads those rows back.

/** Users per chunk of a block: a page of rows reads a chunk or two, never a whole block. */
export const BLOCK_CHUNK = 1000;

const isoTimes = (times: (Date | null)[]) => times.map((t) => t?.toISOString() ?? null);

export interface NewReviewSource {
  parentGroupId: string;
  fromGroupId: string;
  depth: number;
  rank: number;
  endsAt: Date | null;
}

export async function insertReviewSources(
  trx: Trx,
  reviewId: string,
  sources: NewReviewSource[],
): Promise<void> {
  if (sources.length === 0) return;
  const col = <K extends keyof NewReviewSource>(k: K) => sources.map((s) => s[k]);
  await sql`insert into access_review_sources (review_id, parent_group_id, from_group_id, depth, rank, ends_at)
    select ${reviewId}, s.* from unnest(${sql.val(col('parentGroupId'))}::text[], ${sql.val(col('fromGroupId'))}::text[],
      ${sql.val(col('depth'))}::int[], ${sql.val(col('rank'))}::int[], ${sql.val(isoTimes(col('endsAt')))}::timestamptz[])
      as s(parent_group_id, from_group_id, depth, rank, ends_at)`.execute(trx);
}

/**
 * Each parent group's block: every user with a live grant on one of its sources, once, by the source whose access
 * lasts longest (then the shortest path, then the first found), ordered by e-mail; cut in chunks of BLOCK_CHUNK.
 * A user's access ends at the earlier of their grant's end and the path's.
 *
 * The arrays are aggregated in the order of the sorted sub-select, not with ORDER BY in each aggregate: three
 * sorts per block took a third of the statement. The three take the same rows in the same order, so an entry's
 * user, source and end always agree; only the order of users rests on the sub-select's.
 */
export async function insertBlocks(trx: Trx, reviewId: string, now: Date, deadline: Date): Promise<void> {
  const ends = sql`least(g.expires_at, g.ended_at, s.ends_at)`;
  const slice = (col: string) =>
    sql`${sql.ref(`b.${col}`)}[k.k * ${BLOCK_CHUNK} + 1 : (k.k + 1) * ${BLOCK_CHUNK}]`;
  await sql`insert into access_review_blocks (review_id, parent_group_id, chunk_no, user_ids, from_group_ids,
      ends, entries, open)
    select ${reviewId}, b.parent_group_id, k.k, c.user_ids, c.from_group_ids, c.ends, cardinality(c.user_ids),
      (select count(*) from unnest(c.ends) as t(ends) where t.ends is null or t.ends > ${deadline})::int
    from (
      select x.parent_group_id, array_agg(x.user_id) as user_ids, array_agg(x.from_group_id) as from_group_ids,
        array_agg(x.ends) as ends
      from (
        select distinct on (s.parent_group_id, u.email_normalized, g.user_id) s.parent_group_id, g.user_id,
          s.from_group_id, ${ends} as ends
        from access_review_sources s
        join grants g on g.group_id = s.from_group_id
        join users u on u.id = g.user_id
        where s.review_id = ${reviewId}
          and (g.ended_at is null or g.ended_at > ${now}) and (g.expires_at is null or g.expires_at > ${now})
        order by s.parent_group_id, u.email_normalized, g.user_id, ${ends} desc nulls first, s.depth, s.rank
      ) x
      group by x.parent_group_id
    ) b
    cross join lateral generate_series(0, (cardinality(b.user_ids) - 1) / ${BLOCK_CHUNK}) as k(k)
    cross join lateral (select ${slice('user_ids')} as user_ids, ${slice('from_group_ids')} as from_group_ids,
                               ${slice('ends')} as ends) c`.execute(trx);
}

/**
 * The edges into items whose parent has a block, each with as many rows as the block has users, and as many
 * needing a decision as end after the deadline (none when the edge itself ends by then).
 */
export async function insertReviewEdges(
  trx: Trx,
  reviewId: string,
  edges: EdgeIntoItem[],
  deadline: Date,
): Promise<void> {
  if (edges.length === 0) return;
  const col = <K extends keyof EdgeIntoItem>(k: K) => edges.map((e) => e[k]);
  await sql`insert into access_review_edges (review_id, edge_id, item_id, group_id, resource_id, access_level,
      parent_group_id, ends_at, row_count, open_count)
    select ${reviewId}, e.edge_id, e.item_id, case when e.is_group then e.item_id end,
      case when not e.is_group then e.item_id end, e.access_level, e.parent_group_id, e.ends_at, b.entries,
      case when e.ends_at is not null and e.ends_at <= ${deadline} then 0 else b.open end
    from unnest(${sql.val(col('id'))}::text[], ${sql.val(col('itemId'))}::text[], ${sql.val(col('itemIsGroup'))}::boolean[],
      ${sql.val(col('accessLevel'))}::text[], ${sql.val(col('parentGroupId'))}::text[], ${sql.val(isoTimes(col('endsAt')))}::timestamptz[])
      as e(edge_id, item_id, is_group, access_level, parent_group_id, ends_at)
    join (select parent_group_id, sum(entries)::int as entries, sum(open)::int as open from access_review_blocks
          where review_id = ${reviewId} group by parent_group_id) b on b.parent_group_id = e.parent_group_id`.execute(
    trx,
  );
}

/**
 * Numbers the runs: items by name (then id), each item's rows in one run, its `directRows` grants first and its
 * edges' rows after, edge by edge (by id). Items without rows keep no positions. Counted here and written back
 * by key: an update joining the edges to themselves was planned, without figures for them yet, as a scan per edge.
 */
export async function numberRuns(
  trx: Trx,
  reviewId: string,
  directRows: { itemId: string; n: number }[],
): Promise<void> {
  const items = await trx
    .selectFrom('access_review_items')
    .select('item_id')
    .where('review_id', '=', reviewId)
    .orderBy('name')
    .orderBy('item_id')
    .execute();
  const edges = await trx
    .selectFrom('access_review_edges')
    .select(['edge_id', 'item_id', 'row_count'])
    .where('review_id', '=', reviewId)
    .orderBy('item_id')
    .orderBy('edge_id')
    .execute();
  const direct = new Map(directRows.map((d) => [d.itemId, d.n]));
  const edgesOf = new Map<string, typeof edges>();
  for (const e of edges) {
    const list = edgesOf.get(e.item_id);
    if (list) list.push(e);
    else edgesOf.set(e.item_id, [e]);
  }
  const itemRuns: { id: string; direct: number; first: number | null; last: number | null }[] = [];
  const edgeFirsts: { id: string; first: number }[] = [];
  let next = 1;
  for (const { item_id: id } of items) {
    const first = next;
    next += direct.get(id) ?? 0;
    for (const e of edgesOf.get(id) ?? []) {
      edgeFirsts.push({ id: e.edge_id, first: next });
      next += e.row_count;
    }
    const some = next > first;
    itemRuns.push({
      id,
      direct: direct.get(id) ?? 0,
      first: some ? first : null,
      last: some ? next - 1 : null,
    });
  }
  await sql`update access_review_items i set direct_rows = r.direct, first_position = r.first,
      last_position = r.last
    from unnest(${sql.val(itemRuns.map((r) => r.id))}::text[], ${sql.val(itemRuns.map((r) => r.direct))}::int[],
      ${sql.val(itemRuns.map((r) => r.first))}::int[], ${sql.val(itemRuns.map((r) => r.last))}::int[])
      as r(item_id, direct, first, last)
    where i.review_id = ${reviewId} and i.item_id = r.item_id`.execute(trx);
  await sql`update access_review_edges e set first_position = r.first
    from unnest(${sql.val(edgeFirsts.map((r) => r.id))}::text[], ${sql.val(edgeFirsts.map((r) => r.first))}::int[])
      as r(edge_id, first)
    where e.review_id = ${reviewId} and e.edge_id = r.edge_id`.execute(trx);
}
