import { sql, type Transaction } from 'kysely';
import { CLOSING_EFFECTS, effectKind } from '../domain/access-reviews/decisions.js';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

// Closing a campaign, as the edges into its items see it: their rows read from blocks have no effect of their
// own; what closing did to each edge (removed it, or found it gone) gives theirs.

/** Edges with rows read from blocks that need a decision: undecided, as nothing has been said of them. */
export async function edgesWithOpenBlockRows(trx: Trx, reviewId: string): Promise<string[]> {
  const result = await sql<{ edge_id: string }>`select e.edge_id from access_review_edges e
    where e.review_id = ${reviewId} and e.open_count > (
      select count(*) from access_review_rows r
      where r.review_id = e.review_id and r.needs_decision
        and r.position between e.first_position and e.first_position + e.row_count - 1)`.execute(trx);
  return result.rows.map((r) => r.edge_id);
}

/** Records what closing did to the campaign's edges: `removed` by it, or `gone` before it could. */
export async function markEdgesClosing(
  trx: Trx,
  reviewId: string,
  removed: string[],
  gone: string[],
): Promise<void> {
  for (const [closing, ids] of [
    ['removed', removed],
    ['gone', gone],
  ] as const)
    if (ids.length > 0)
      await sql`update access_review_edges set closing = ${closing}
        where review_id = ${reviewId} and edge_id = any(${sql.val(ids)}::text[])`.execute(trx);
}

/** Row number ranges [from + 1, to] of the edges closing removed. */
export async function removedEdgeRanges(trx: Trx, reviewId: string): Promise<{ from: number; to: number }[]> {
  const result = await sql<{ from: number; to: number }>`select e.first_position - 1 as from,
      e.first_position + e.row_count - 1 as to
    from access_review_edges e where e.review_id = ${reviewId} and e.closing = 'removed'
    order by e.first_position`.execute(trx);
  return result.rows;
}

/**
 * How many rows read from blocks ended with each kind of effect (null: none, the caller names it from the need
 * of a decision), by edge: its rows less those stored.
 */
export async function blockRowTallies(
  trx: Trx,
  reviewId: string,
): Promise<{ kind: string | null; needsDecision: boolean; n: number }[]> {
  const result = await sql<{ kind: string | null; needs_decision: boolean; n: number }>`
    with left_over as (
      select e.closing, e.row_count - s.n as n, e.open_count - s.needing as needing
      from access_review_edges e
      cross join lateral (
        select count(*) as n, count(*) filter (where r.needs_decision) as needing from access_review_rows r
        where r.review_id = e.review_id
          and r.position between e.first_position and e.first_position + e.row_count - 1) s
      where e.review_id = ${reviewId}
    ), by_need as (
      select closing, true as needs_decision, needing as n from left_over
      union all
      select closing, false, n - needing from left_over
    )
    select case when b.closing = 'removed' then ${effectKind(CLOSING_EFFECTS.revoked)}::text
                when b.closing = 'gone' and b.needs_decision and rv.auto_revoke_unreviewed
                  then ${effectKind(CLOSING_EFFECTS.alreadyEnded)}::text end as kind,
      b.needs_decision, sum(b.n)::int as n
    from by_need b cross join access_reviews rv
    where rv.id = ${reviewId} and b.n > 0
    group by 1, 2`.execute(trx);
  return result.rows.map((r) => ({ kind: r.kind, needsDecision: r.needs_decision, n: Number(r.n) }));
}
