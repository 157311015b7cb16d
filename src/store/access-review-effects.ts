import { sql, type Transaction } from 'kysely';
import { CLOSING_EFFECTS } from '../domain/access-reviews/decisions.js';
import type { Database } from './schema.js';
import type { ReviewRowRecord } from './schema-access-reviews.js';

// Closing a campaign, as the rows see it: the rows it acts on, window by window, and each row's effect.

/**
 * Closing reads its rows window by window of row numbers, (from, to]: each read costs one short range of the
 * primary key however the rows it wants are spread, whatever the planner knows of a table just written.
 */
export interface RowWindow {
  from: number;
  to: number;
}

/** A campaign's rows in a window, in row order. */
const inWindow = (trx: Transaction<Database>, reviewId: string, w: RowWindow) =>
  trx
    .selectFrom('access_review_rows')
    .selectAll()
    .where('review_id', '=', reviewId)
    .where('position', '>', w.from)
    .where('position', '<=', w.to)
    .orderBy('position');

/** The rows closing acts on in a window: decided revoke or shorten, and (with autoRevoke) undecided rows that need a decision. */
export async function rowsToApply(
  trx: Transaction<Database>,
  reviewId: string,
  autoRevoke: boolean,
  w: RowWindow,
): Promise<ReviewRowRecord[]> {
  return inWindow(trx, reviewId, w)
    .where((eb) =>
      eb.or([
        eb('decision', 'in', ['revoke', 'shorten']),
        ...(autoRevoke ? [eb.and([eb('decision', 'is', null), eb('needs_decision', '=', true)])] : []),
      ]),
    )
    .execute();
}

/** Revoked rows in a window: whether their user still has the access is looked up once every effect is known. */
export async function revokedRows(
  trx: Transaction<Database>,
  reviewId: string,
  w: RowWindow,
): Promise<ReviewRowRecord[]> {
  return inWindow(trx, reviewId, w).where('effect', '=', CLOSING_EFFECTS.revoked).execute();
}

/** One statement per distinct effect: rows found by their key, never by a join the planner might scan for. */
export async function writeEffects(
  trx: Transaction<Database>,
  reviewId: string,
  effects: { position: number; effect: string }[],
): Promise<void> {
  const byEffect = new Map<string, number[]>();
  for (const e of effects) {
    const list = byEffect.get(e.effect);
    if (list) list.push(e.position);
    else byEffect.set(e.effect, [e.position]);
  }
  for (const [effect, positions] of byEffect)
    await trx
      .updateTable('access_review_rows')
      .set({ effect })
      .where('review_id', '=', reviewId)
      .where(sql<boolean>`position = any(${sql.val(positions)}::int[])`)
      .execute();
}

/** Rows this close did not act on whose nesting edge it removed for another row: they lost the access too. */
export async function writeSharedEdgeEffects(
  trx: Transaction<Database>,
  reviewId: string,
  removedEdgeIds: string[],
): Promise<void> {
  if (removedEdgeIds.length === 0) return;
  await sql`update access_review_rows set effect = ${CLOSING_EFFECTS.edgeRemovedForAnother}
    where review_id = ${reviewId} and effect is null
      and edge_id = any(${sql.val(removedEdgeIds)}::text[])`.execute(trx);
}

/**
 * How many rows have each stored effect's kind (its text up to a colon), and, for rows without one, each
 * decision and need of a decision (the caller names their effect).
 */
export async function effectTallies(
  trx: Transaction<Database>,
  reviewId: string,
): Promise<{ kind: string | null; decision: string | null; needsDecision: boolean; n: number }[]> {
  const result = await sql<{
    kind: string | null;
    decision: string | null;
    needs_decision: boolean;
    n: number;
  }>`
    select split_part(effect, ':', 1) as kind, case when effect is null then decision end as decision,
           effect is null and needs_decision as needs_decision, count(*)::int as n
      from access_review_rows where review_id = ${reviewId} group by 1, 2, 3`.execute(trx);
  return result.rows.map((r) => ({
    kind: r.kind,
    decision: r.decision,
    needsDecision: r.needs_decision,
    n: Number(r.n),
  }));
}
