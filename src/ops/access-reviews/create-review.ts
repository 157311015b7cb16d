import { parseReviewInput, type ReviewInput } from '../../domain/access-reviews/campaign.js';
import { invalid } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findAccessReview, insertAccessReview, progressByReviewer } from '../../store/access-reviews.js';
import { missingScopeIds } from '../../store/access-review-scope.js';
import { newId } from '../../store/ids.js';
import { activeUserIds } from '../../store/users.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { reviewCaller } from './abilities.js';
import { noticeReviewStarted } from './send-reminders.js';
import { reviewView, type AccessReviewView } from './review-view.js';
import { takeSnapshot } from './snapshot.js';

async function checkActive(trx: Tx, ids: string[], field: string): Promise<void> {
  const active = new Set(await activeUserIds(trx, ids));
  const unknown = ids.filter((id) => !active.has(id));
  if (unknown.length) throw invalid(field, `not an active user: ${unknown.join(', ')}`);
}

/**
 * Starts a campaign (admins and auditors): its snapshot of who holds what, and each row's reviewers, are taken
 * in the same transaction as the campaign itself, so later changes do not move the ground under reviewers.
 */
export async function createAccessReview(
  deps: OpsDeps,
  actor: Actor,
  input: ReviewInput,
): Promise<AccessReviewView> {
  authorize(
    actor,
    'accessReview',
    'create',
    { isReviewer: false },
    'only admins and auditors run access reviews',
  );
  const now = deps.now();
  const s = parseReviewInput(input, now);
  return runInTransaction(deps, async (trx) => {
    const missing = await missingScopeIds(trx, s.scope);
    if (missing.length)
      throw invalid('scope', `no such group, resource or connection: ${missing.join(', ')}`);
    await checkActive(trx, s.reviewers.userIds, 'reviewers.userIds');
    await checkActive(trx, s.reviewers.fallbackUserIds, 'reviewers.fallbackUserIds');
    const id = newId('arv');
    await insertAccessReview(trx, id, s, actor.id, now);
    await takeSnapshot(deps, trx, id, s, now);
    const row = (await findAccessReview(trx, id))!;
    await noticeReviewStarted(trx, row, now);
    const caller = reviewCaller(actor, { review: row, facts: { isReviewer: false }, actingFor: [actor.id] });
    const review = reviewView(row, (await progressByReviewer(trx, [id])).get(id) ?? [], [], caller);
    return {
      result: review,
      events: [
        {
          type: 'access_review.created',
          actorId: actor.id,
          subjects: [{ type: 'access_review', id }],
          data: {
            name: review.name,
            deadline: review.deadline,
            scope: review.scope,
            reviewers: review.reviewers,
            autoRevokeUnreviewed: review.autoRevokeUnreviewed,
            allowSelfReview: review.allowSelfReview,
            rowCount: review.rowCount,
            total: review.progress.total,
          },
        },
      ],
    };
  });
}
