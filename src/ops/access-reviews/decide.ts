import { checkShorten, parseDecision, type DecisionInput } from '../../domain/access-reviews/decisions.js';
import { AppError, conflict, forbidden, notFound } from '../../domain/errors.js';
import { grantEnd } from '../../domain/grants.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { countDecided } from '../../store/access-reviews.js';
import {
  recordDecision,
  reviewersOfRows,
  rowsByPositions,
  type ReviewRowWithPath,
} from '../../store/access-review-rows.js';
import { grantRowsByIds } from '../../store/grants.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { reviewsRow, rowAbilities } from './abilities.js';
import { rowView, type ReviewRowView } from './review-view.js';
import { visibleReview, type ReviewAccess } from './visibility.js';

export interface DecisionRequest extends DecisionInput {
  rowIds: string[];
}

const ROW_ID = /^[1-9]\d{0,9}$/;
const missingRow = (id: string) => notFound('access review row', id);

/** Refuses unless the actor may decide every row; an id they may not see is 404, like one that does not exist. */
function authorizeRows(
  actor: Actor,
  access: ReviewAccess,
  rows: ReviewRowWithPath[],
  reviewers: Map<number, string[]>,
) {
  const readAll = can(actor, 'accessReview', 'readAllRows', access.facts);
  const allowSelfReview = access.review.allow_self_review;
  for (const row of rows) {
    if (row.user_id === actor.id && !allowSelfReview)
      throw new AppError(
        'self_review_forbidden',
        `row ${row.position} is your own access: another reviewer decides it`,
      );
    const isReviewer = reviewsRow(access, reviewers.get(row.position) ?? []);
    if (!isReviewer && !readAll) throw missingRow(String(row.position));
    if (!can(actor, 'accessReviewRow', 'decide', { userId: row.user_id, isReviewer, allowSelfReview }))
      throw forbidden(`only the reviewers of row ${row.position} decide it`);
  }
}

async function checkShortening(trx: Tx, rows: ReviewRowWithPath[], keepUntil: Date): Promise<void> {
  const grants = new Map(
    (
      await grantRowsByIds(
        trx,
        rows.flatMap((r) => (r.grant_id ? [r.grant_id] : [])),
      )
    ).map((g) => [g.id, g]),
  );
  for (const row of rows) {
    const g = row.grant_id ? grants.get(row.grant_id) : undefined;
    checkShorten(
      String(row.position),
      g ? { kind: 'grant', grantEnd: grantEnd(g.expires_at, g.ended_at) } : { kind: 'edge' },
      keepUntil,
    );
  }
}

/**
 * Records one decision on a set of rows, all or none: keep, revoke (with a comment) or shorten (keep until a
 * date). Decisions take effect when the campaign closes; until then a reviewer may change their mind.
 */
export async function decideRows(
  deps: OpsDeps,
  actor: Actor,
  reviewId: string,
  input: DecisionRequest,
): Promise<ReviewRowView[]> {
  const now = deps.now();
  const d = parseDecision(input, now);
  const ids = [...new Set(input.rowIds)];
  return runInTransaction(deps, async (trx) => {
    // Locked: closing waits for this decision, or this decision sees the campaign closed.
    const access = await visibleReview(trx, actor, reviewId, now, 'update');
    if (access.review.status !== 'open')
      throw conflict(`access review ${reviewId} is closed: its decisions are final`);
    const unknown = ids.find((id) => !ROW_ID.test(id));
    if (unknown !== undefined) throw missingRow(unknown);
    const positions = ids.map(Number);
    const rows = await rowsByPositions(trx, reviewId, positions);
    const found = new Set(rows.map((r) => r.position));
    const absent = positions.find((p) => !found.has(p));
    if (absent !== undefined) throw missingRow(String(absent));
    const reviewers = await reviewersOfRows(trx, reviewId, positions);
    authorizeRows(actor, access, rows, reviewers);
    if (d.decision === 'shorten') await checkShortening(trx, rows, d.keepUntil!);
    await recordDecision(trx, reviewId, positions, { ...d, by: actor.id, at: now });
    await countDecided(
      trx,
      reviewId,
      rows.filter((r) => r.needs_decision && r.decision === null).map((r) => r.position),
      reviewers,
    );
    const updated = await rowsByPositions(trx, reviewId, positions);
    return {
      result: updated.map((r) => {
        const ids = reviewers.get(r.position) ?? [];
        return rowView(r, ids, rowAbilities(actor, access, r, ids), false);
      }),
      events: [
        {
          type: 'access_review.decided',
          actorId: actor.id,
          subjects: [{ type: 'access_review', id: reviewId }],
          data: {
            name: access.review.name,
            rowIds: ids,
            decision: d.decision,
            keepUntil: d.keepUntil?.toISOString() ?? null,
            comment: d.comment,
          },
        },
      ],
    };
  });
}
