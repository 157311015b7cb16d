import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

const ITEM_BATCH = 5000;

// A campaign's snapshot, written set-based: one row per grant on an item, each item's reviewers, reviewers of
// their own for the rows the item's do not fit, and the counts. Nothing here holds the rows in memory; a million
// memberships are a few INSERT ... SELECT statements. Nested rows are kept per block (access-review-blocks.ts).

const liveGrant = (now: Date) =>
  sql`(g.ended_at is null or g.ended_at > ${now}) and (g.expires_at is null or g.expires_at > ${now})`;

const directRows = (reviewId: string, now: Date, type: 'group' | 'resource') =>
  sql`select i.item_id, g.user_id, g.group_id, g.resource_id, g.access_level, g.id as grant_id,
      null::text as edge_id, null::text as parent_group_id, null::int as path_no, least(g.expires_at, g.ended_at) as ends
    from access_review_items i join grants g on ${sql.ref(type === 'group' ? 'g.group_id' : 'g.resource_id')} = i.item_id
    where i.review_id = ${reviewId} and i.item_type = ${type} and ${liveGrant(now)}`;

const directOf = (reviewId: string, now: Date) => sql`${directRows(reviewId, now, 'group')}
  union all
  ${directRows(reviewId, now, 'resource')}`;

/** How many rows each item's own grants give it (insertDirectRows writes them). */
export async function directRowCounts(
  trx: Trx,
  reviewId: string,
  now: Date,
): Promise<{ itemId: string; n: number }[]> {
  const result = await sql<{ item_id: string; n: number }>`select x.item_id, count(*)::int as n
    from (${directOf(reviewId, now)}) x join users u on u.id = x.user_id group by x.item_id`.execute(trx);
  return result.rows.map((r) => ({ itemId: r.item_id, n: r.n }));
}

/**
 * The rows given by a grant on the item itself, one per live grant, in one statement: first in their item's run
 * (numberRuns), by user e-mail. A row needs a decision unless its access ends by the deadline (domain
 * needsDecision). Nested rows are read from their edge's block (access-review-blocks.ts) instead.
 */
export async function insertDirectRows(
  trx: Trx,
  reviewId: string,
  now: Date,
  deadline: Date,
  allowSelfReview: boolean,
): Promise<void> {
  // A row whose user is one of its item's reviewers cannot be reviewed by all of them (rowReviewers). Joined,
  // not asked row by row: a sub-select per row took longer than writing the rows.
  const own = allowSelfReview
    ? { flag: sql`false`, join: sql`` }
    : {
        flag: sql`ir.reviewer_id is not null`,
        join: sql`left join access_review_item_reviewers ir on ir.review_id = ${reviewId}
          and ir.item_id = x.item_id and ir.reviewer_id = x.user_id`,
      };
  await sql`insert into access_review_rows (review_id, position, user_id, item_id, group_id, resource_id,
      access_level, grant_id, edge_id, parent_group_id, path_no, access_ends_at, needs_decision, own_reviewers)
    select ${reviewId},
      (i.first_position - 1 + row_number() over (partition by x.item_id order by u.email_normalized, x.user_id, x.grant_id))::int,
      x.user_id, x.item_id, x.group_id, x.resource_id, x.access_level, x.grant_id, x.edge_id, x.parent_group_id,
      x.path_no, x.ends, (x.ends is null or x.ends > ${deadline}), ${own.flag}
    from (${directOf(reviewId, now)}) x
    join users u on u.id = x.user_id
    join access_review_items i on i.review_id = ${reviewId} and i.item_id = x.item_id
    ${own.join}`.execute(trx);
}

/** Where a row's reviewers start from: each item's owners, or one list for every row. */
export type PrimaryReviewers = { perItem: true } | { perItem: false; userIds: string[] };

/**
 * Each item's reviewers, by the domain's rowReviewers rule for a row whose user is none of them: its primary
 * reviewers (its owners from access_review_candidates, or the list), else the fallback. Taken before the rows,
 * which are marked own_reviewers when their user is one of them.
 */
export async function insertItemReviewers(
  trx: Trx,
  reviewId: string,
  primary: PrimaryReviewers,
  fallback: string[],
): Promise<void> {
  if (primary.perItem)
    await sql`insert into access_review_item_reviewers (review_id, item_id, reviewer_id)
      select review_id, item_id, user_id from access_review_candidates where review_id = ${reviewId}`.execute(
      trx,
    );
  else
    await sql`insert into access_review_item_reviewers (review_id, item_id, reviewer_id)
      select i.review_id, i.item_id, p.user_id from access_review_items i
      cross join (select distinct unnest(${sql.val(primary.userIds)}::text[])) as p(user_id)
      where i.review_id = ${reviewId}`.execute(trx);
  // Items without reviewers as a set difference: the planner has no figures yet for the reviewers just
  // written, and an anti-join planned from none read them once per item.
  await sql`insert into access_review_item_reviewers (review_id, item_id, reviewer_id)
    select ${reviewId}, i.item_id, f.user_id from (
      select item_id from access_review_items where review_id = ${reviewId}
      except
      select item_id from access_review_item_reviewers where review_id = ${reviewId}
    ) i
    cross join (select distinct unnest(${sql.val(fallback)}::text[])) as f(user_id)`.execute(trx);
}

/**
 * Gives the planner figures for what this transaction just wrote: `sources` (items, their reviewers, paths)
 * before the blocks and rows are written from them, `blocks` (edges and blocks) before rows are numbered and
 * looked up in them,
 * `rows` once the snapshot is complete. Figures of before (often none of
 * this campaign) had it plan the rows' join with the items' reviewers as a look-up per row, and, until the next
 * automatic analysis, read all of a large campaign's rows to find a page or a few rows by their positions.
 */
export async function analyzeSnapshot(trx: Trx, what: 'sources' | 'blocks' | 'rows'): Promise<void> {
  if (what === 'sources')
    await sql`analyze access_review_items, access_review_item_reviewers, access_review_paths,
      access_review_sources`.execute(trx);
  // The blocks' keys only: figures for their arrays would read every one of them.
  else if (what === 'blocks')
    await sql`analyze access_review_edges, access_review_blocks (review_id, parent_group_id, chunk_no)`.execute(
      trx,
    );
  else await sql`analyze access_review_rows, access_review_assignments`.execute(trx);
}

/**
 * The reviewers of each own_reviewers row (its user is one of its item's reviewers, self-review not allowed), by
 * rowReviewers: the item's other reviewers, or when there are none the fallback, never the row's own user.
 */
export async function assignOwnReviewers(trx: Trx, reviewId: string, fallback: string[]): Promise<void> {
  await sql`insert into access_review_assignments (review_id, reviewer_id, position)
    select r.review_id, ir.reviewer_id, r.position from access_review_rows r
    join access_review_item_reviewers ir on ir.review_id = r.review_id and ir.item_id = r.item_id
    where r.review_id = ${reviewId} and r.own_reviewers and ir.reviewer_id <> r.user_id`.execute(trx);
  await sql`insert into access_review_assignments (review_id, reviewer_id, position)
    select r.review_id, f.user_id, r.position from access_review_rows r
    cross join (select distinct unnest(${sql.val(fallback)}::text[])) as f(user_id)
    where r.review_id = ${reviewId} and r.own_reviewers and f.user_id <> r.user_id
      and not exists (select 1 from access_review_assignments a
                      where a.review_id = r.review_id and a.position = r.position)`.execute(trx);
}

/**
 * How many rows each item's reviewers share, each reviewer's share, and the campaign's counts, in one pass over
 * the stored rows and one over the edges. The planner has no figures yet for the rows just written, so nothing
 * here joins them: the per-item counts are read and written back by item, and the few rows with reviewers of
 * their own are matched to their reviewers here.
 */
export async function summarizeSnapshot(trx: Trx, reviewId: string): Promise<void> {
  // Per item: its stored rows, and its edges' rows less those of them stored (all with reviewers of their own).
  const stats = await sql<{ item_id: string; rows: number; needing: number; shared: number; open: number }>`
    select coalesce(s.item_id, b.item_id) as item_id,
      (coalesce(s.rows, 0) + coalesce(b.rows, 0) - coalesce(s.nested, 0))::int as rows,
      (coalesce(s.needing, 0) + coalesce(b.open, 0) - coalesce(s.nested_needing, 0))::int as needing,
      (coalesce(s.shared, 0) + coalesce(b.rows, 0) - coalesce(s.nested, 0))::int as shared,
      (coalesce(s.open, 0) + coalesce(b.open, 0) - coalesce(s.nested_needing, 0))::int as open
    from (
      select item_id, count(*) as rows, count(*) filter (where needs_decision) as needing,
             count(*) filter (where not own_reviewers) as shared,
             count(*) filter (where not own_reviewers and needs_decision) as open,
             count(*) filter (where edge_id is not null) as nested,
             count(*) filter (where edge_id is not null and needs_decision) as nested_needing
        from access_review_rows where review_id = ${reviewId} group by item_id
    ) s
    full join (
      select item_id, sum(row_count) as rows, sum(open_count) as open from access_review_edges
        where review_id = ${reviewId} group by item_id
    ) b on b.item_id = s.item_id`.execute(trx);
  for (let i = 0; i < stats.rows.length; i += ITEM_BATCH) {
    const part = stats.rows.slice(i, i + ITEM_BATCH);
    const col = <K extends keyof (typeof part)[number]>(k: K) => part.map((r) => r[k]);
    await sql`update access_review_items i set shared_rows = s.shared, shared_open = s.open
      from unnest(${sql.val(col('item_id'))}::text[], ${sql.val(col('shared'))}::int[], ${sql.val(col('open'))}::int[])
        as s(item_id, shared, open)
      where i.review_id = ${reviewId} and i.item_id = s.item_id`.execute(trx);
  }
  const totals = new Map<string, number>();
  const add = (reviewerId: string, n: number) => totals.set(reviewerId, (totals.get(reviewerId) ?? 0) + n);
  const shared = await sql<{ reviewer_id: string; open: number }>`
    select ir.reviewer_id, sum(i.shared_open)::int as open from access_review_item_reviewers ir
    join access_review_items i on i.review_id = ir.review_id and i.item_id = ir.item_id
    where ir.review_id = ${reviewId} and i.shared_rows > 0 group by ir.reviewer_id`.execute(trx);
  for (const r of shared.rows) add(r.reviewer_id, r.open);
  // Rows with reviewers of their own are few (their user reviews their item): read, and matched here.
  const ownRows = await trx
    .selectFrom('access_review_rows')
    .select(['position', 'needs_decision'])
    .where('review_id', '=', reviewId)
    .where('own_reviewers', '=', true)
    .execute();
  const needing = new Map(ownRows.map((r) => [r.position, r.needs_decision]));
  const assigned = await trx
    .selectFrom('access_review_assignments')
    .select(['reviewer_id', 'position'])
    .where('review_id', '=', reviewId)
    .execute();
  for (const a of assigned) add(a.reviewer_id, needing.get(a.position) ? 1 : 0);
  if (totals.size > 0)
    await sql`insert into access_review_reviewers (review_id, reviewer_id, total)
      select ${reviewId}, t.reviewer_id, t.total
      from unnest(${sql.val([...totals.keys()])}::text[], ${sql.val([...totals.values()])}::int[]) as t(reviewer_id, total)`.execute(
      trx,
    );
  const sum = (k: 'rows' | 'needing') => stats.rows.reduce((n, r) => n + r[k], 0);
  await trx
    .updateTable('access_reviews')
    .set({ row_count: sum('rows'), total: sum('needing') })
    .where('id', '=', reviewId)
    .execute();
}
