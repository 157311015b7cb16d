import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

// A campaign's snapshot, written set-based: one row per (user, item, level, grant or edge), and each row's
// reviewers. Nothing here holds the rows in memory; a million memberships are a few INSERT ... SELECT statements.

const liveGrant = (now: Date) =>
  sql`(g.ended_at is null or g.ended_at > ${now}) and (g.expires_at is null or g.expires_at > ${now})`;

const directRows = (reviewId: string, now: Date, type: 'group' | 'resource') =>
  sql`select i.item_id, i.name as item_name, g.user_id, g.group_id, g.resource_id, g.access_level,
      g.id as grant_id, null::text as edge_id, null::text as parent_group_id, null::int as path_no,
      least(g.expires_at, g.ended_at) as ends, '0' || g.id as via
    from access_review_items i join grants g on ${sql.ref(type === 'group' ? 'g.group_id' : 'g.resource_id')} = i.item_id
    where i.review_id = ${reviewId} and i.item_type = ${type} and ${liveGrant(now)}`;

/**
 * The rows, in one statement: every live grant on an item (one row each), and for every nesting edge into an
 * item, every user with a live grant on a group that reaches it (one row per user and edge, shown with the path
 * that lasts longest). A row needs a decision unless its access ends by the deadline (domain needsDecision).
 * Numbered by item name, then user e-mail.
 */
export async function insertSnapshotRows(
  trx: Trx,
  reviewId: string,
  now: Date,
  deadline: Date,
): Promise<number> {
  const result = await sql`insert into access_review_rows (review_id, position, user_id, item_id, group_id,
      resource_id, access_level, grant_id, edge_id, parent_group_id, path_no, access_ends_at, needs_decision)
    select ${reviewId}, row_number() over (order by x.item_name, x.item_id, u.email_normalized, x.user_id, x.via)::int,
      x.user_id, x.item_id, x.group_id, x.resource_id, x.access_level, x.grant_id, x.edge_id, x.parent_group_id,
      x.path_no, x.ends, (x.ends is null or x.ends > ${deadline})
    from (
      ${directRows(reviewId, now, 'group')}
      union all
      ${directRows(reviewId, now, 'resource')}
      union all
      select * from (
        select distinct on (g.user_id, p.edge_id) p.item_id, i.name as item_name, g.user_id,
          case when i.item_type = 'group' then p.item_id end as group_id,
          case when i.item_type = 'resource' then p.item_id end as resource_id,
          p.access_level, null::text as grant_id, p.edge_id, p.parent_group_id, p.path_no,
          least(g.expires_at, g.ended_at, p.ends_at) as ends, '1' || p.edge_id as via
        from access_review_paths p
        join access_review_items i on i.review_id = p.review_id and i.item_id = p.item_id
        join grants g on g.group_id = p.from_group_id
        where p.review_id = ${reviewId} and ${liveGrant(now)}
        order by g.user_id, p.edge_id, least(g.expires_at, g.ended_at, p.ends_at) desc nulls first,
          cardinality(p.group_ids), p.path_no
      ) nested
    ) x
    join users u on u.id = x.user_id`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Where a row's reviewers start from: each item's owners, or one list for every row. */
export type PrimaryReviewers = { perItem: true } | { perItem: false; userIds: string[] };

/** Assigns every row its reviewers by the domain's rowReviewers rule: primary, else fallback, never self unless allowed. */
export async function assignReviewers(
  trx: Trx,
  reviewId: string,
  primary: PrimaryReviewers,
  fallback: string[],
  allowSelfReview: boolean,
): Promise<void> {
  const notSelf = (col: string) => (allowSelfReview ? sql`true` : sql`${sql.ref(col)} <> r.user_id`);
  if (primary.perItem)
    await sql`insert into access_review_assignments (review_id, reviewer_id, position)
      select r.review_id, c.user_id, r.position from access_review_rows r
      join access_review_candidates c on c.review_id = r.review_id and c.item_id = r.item_id
      where r.review_id = ${reviewId} and ${notSelf('c.user_id')}`.execute(trx);
  else
    await sql`insert into access_review_assignments (review_id, reviewer_id, position)
      select r.review_id, c.user_id, r.position from access_review_rows r
      cross join unnest(${sql.val(primary.userIds)}::text[]) as c(user_id)
      where r.review_id = ${reviewId} and ${notSelf('c.user_id')}`.execute(trx);
  await sql`insert into access_review_assignments (review_id, reviewer_id, position)
    select r.review_id, f.user_id, r.position from access_review_rows r
    cross join unnest(${sql.val(fallback)}::text[]) as f(user_id)
    where r.review_id = ${reviewId} and ${notSelf('f.user_id')}
      and not exists (select 1 from access_review_assignments a
                      where a.review_id = r.review_id and a.position = r.position)`.execute(trx);
}

/** Each reviewer's share, and the campaign's counts. */
export async function summarizeSnapshot(trx: Trx, reviewId: string): Promise<void> {
  await sql`insert into access_review_reviewers (review_id, reviewer_id, total)
    select a.review_id, a.reviewer_id, count(*) filter (where r.needs_decision)::int
    from access_review_assignments a
    join access_review_rows r on r.review_id = a.review_id and r.position = a.position
    where a.review_id = ${reviewId} group by a.review_id, a.reviewer_id`.execute(trx);
  await sql`update access_reviews set
      row_count = (select count(*) from access_review_rows where review_id = ${reviewId}),
      total = (select count(*) from access_review_rows where review_id = ${reviewId} and needs_decision)
    where id = ${reviewId}`.execute(trx);
}
