import { effectKind, restingEffect, type Decision } from '../../domain/access-reviews/decisions.js';
import { conflict, forbidden } from '../../domain/errors.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { markReviewClosed, progressByReviewer } from '../../store/access-reviews.js';
import {
  effectTallies,
  rowsToApply,
  writeEffects,
  writeSharedEdgeEffects,
} from '../../store/access-review-effects.js';
import { delegationsOf } from '../../store/access-review-delegations.js';
import { blockRowTallies, markEdgesClosing } from '../../store/access-review-edge-effects.js';
import { lockDueReview } from '../../store/due-access-reviews.js';
import type { NewEvent } from '../../store/events.js';
import type { AccessReviewRow } from '../../store/schema-access-reviews.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { reviewCaller, type ReviewCaller } from './abilities.js';
import { applyBatch, revokeBlockEdges, type CloseState } from './apply-decisions.js';
import { noteRemainingAccess } from './remaining-access.js';
import { rowWindows } from './row-windows.js';
import { reviewView, type AccessReviewView } from './review-view.js';
import { visibleReview } from './visibility.js';

// Closing a campaign applies its decisions, exactly once: the campaign row is locked and its status re-checked
// in the transaction that applies them, whether a person closes it or the time engine does at the deadline.

async function closeLocked(
  deps: Pick<OpsDeps, 'index'>,
  trx: Tx,
  review: AccessReviewRow,
  actorId: string | null,
  now: Date,
  reason: 'closed' | 'deadline',
  viewer: (closed: AccessReviewRow) => ReviewCaller,
): Promise<{ result: AccessReviewView; events: NewEvent[] }> {
  const s: CloseState = {
    review,
    actorId,
    now,
    events: [],
    endedGrantIds: new Set(),
    removedEdges: new Map(),
  };
  for (const w of rowWindows(review.row_count)) {
    const rows = await rowsToApply(trx, review.id, review.auto_revoke_unreviewed, w);
    if (rows.length > 0) await writeEffects(trx, review.id, await applyBatch(trx, s, rows));
  }
  const gone = review.auto_revoke_unreviewed ? await revokeBlockEdges(trx, s) : [];
  await markEdgesClosing(trx, review.id, [...s.removedEdges.keys()], gone);
  await noteRemainingAccess(deps, trx, s);
  await writeSharedEdgeEffects(trx, review.id, [...s.removedEdges.keys()]);
  const outcome = await outcomeOf(trx, review.id);
  const closed = await markReviewClosed(trx, review.id, now, actorId, outcome);
  const byReviewer = (await progressByReviewer(trx, [review.id])).get(review.id) ?? [];
  s.events.push({
    type: 'access_review.closed',
    actorId,
    subjects: [{ type: 'access_review', id: review.id }],
    data: { name: review.name, reason, outcome },
  });
  const view = reviewView(closed, byReviewer, await delegationsOf(trx, review.id), viewer(closed));
  return { result: view, events: s.events };
}

/**
 * How many rows ended with each kind of effect: those stored, those of rows closing did not act on, and those
 * of rows read from blocks.
 */
async function outcomeOf(trx: Tx, reviewId: string): Promise<Record<string, number>> {
  const outcome: Record<string, number> = {};
  const tallies = [
    ...(await effectTallies(trx, reviewId)),
    ...(await blockRowTallies(trx, reviewId)).map((t) => ({ ...t, decision: null })),
  ];
  for (const t of tallies) {
    const kind = t.kind ?? effectKind(restingEffect(t.decision as Decision | null, t.needsDecision));
    outcome[kind] = (outcome[kind] ?? 0) + t.n;
  }
  return outcome;
}

/** The time engine is nobody's caller: its result is not shown. */
const NOBODY: ReviewCaller = {
  actingFor: [],
  abilities: { close: false, readAllRows: false, delegateOwn: false, delegateAny: false },
};

/** Closes a campaign now (admins and auditors). */
export async function closeAccessReview(
  deps: OpsDeps,
  actor: Actor,
  reviewId: string,
): Promise<AccessReviewView> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const access = await visibleReview(trx, actor, reviewId, now, 'update');
    if (!can(actor, 'accessReview', 'close', access.facts))
      throw forbidden('only admins and auditors close access reviews');
    if (access.review.status !== 'open') throw conflict(`access review ${reviewId} is already closed`);
    return closeLocked(deps, trx, access.review, actor.id, now, 'closed', (closed) =>
      reviewCaller(actor, { ...access, review: closed }),
    );
  });
}

/**
 * The time engine: closes up to `limit` campaigns past their deadline, one transaction each. A campaign another
 * process is closing is skipped (SKIP LOCKED); one closed meanwhile is no longer open, so none closes twice.
 */
export async function closeDueReviews(
  deps: OpsDeps,
  limit: number,
  now = deps.now(),
): Promise<{ id: string; dueAt: Date }[]> {
  const done: { id: string; dueAt: Date }[] = [];
  while (done.length < limit) {
    const closed = await runInTransaction(deps, async (trx) => {
      const review = await lockDueReview(trx, now);
      if (!review) return { result: undefined, events: [] };
      const out = await closeLocked(deps, trx, review, null, now, 'deadline', () => NOBODY);
      return { result: { id: review.id, dueAt: review.deadline }, events: out.events };
    });
    if (!closed) break;
    done.push(closed);
  }
  return done;
}
