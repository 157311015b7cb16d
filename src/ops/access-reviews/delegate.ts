import { conflict, forbidden, invalid } from '../../domain/errors.js';
import { can } from '../../domain/policy/policy.js';
import { timestampMs } from '../../domain/timestamps.js';
import type { Actor } from '../../domain/users.js';
import { isAssignedReviewer } from '../../store/access-reviews.js';
import { upsertDelegation } from '../../store/access-review-delegations.js';
import { activeUserIds } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { delegationView, type DelegationView } from './review-view.js';
import { visibleReview } from './visibility.js';

export interface DelegationInput {
  fromUserId: string;
  toUserId: string;
  until: string;
}

/**
 * Hands a reviewer's rows to another person until a date (audited): a reviewer hands over their own; admins and
 * auditors anyone's. The delegate decides those rows as their reviewers may, never their own access unless the
 * campaign allows self-review. A new delegation of the same reviewer replaces the last.
 */
export async function delegateRows(
  deps: OpsDeps,
  actor: Actor,
  reviewId: string,
  input: DelegationInput,
): Promise<DelegationView> {
  const now = deps.now();
  const untilMs = timestampMs(input.until);
  if (untilMs === null) throw invalid('until', 'must be an RFC 3339 date-time');
  if (untilMs <= now.getTime()) throw invalid('until', 'must be in the future');
  if (input.fromUserId === input.toUserId) throw invalid('toUserId', 'must be someone other than fromUserId');
  return runInTransaction(deps, async (trx) => {
    const access = await visibleReview(trx, actor, reviewId, now, 'share');
    const own = input.fromUserId === actor.id && can(actor, 'accessReview', 'delegateOwn', access.facts);
    if (!own && !can(actor, 'accessReview', 'delegateAny', access.facts))
      throw forbidden('reviewers hand over their own rows; admins and auditors anyone’s');
    if (access.review.status !== 'open') throw conflict(`access review ${reviewId} is closed`);
    if (!(await isAssignedReviewer(trx, reviewId, input.fromUserId)))
      throw invalid('fromUserId', 'has no rows to review in this campaign');
    if ((await activeUserIds(trx, [input.toUserId])).length === 0)
      throw invalid('toUserId', `not an active user: ${input.toUserId}`);
    const row = await upsertDelegation(trx, {
      reviewId,
      fromUserId: input.fromUserId,
      toUserId: input.toUserId,
      until: new Date(untilMs),
      by: actor.id,
      at: now,
    });
    const view = delegationView(row);
    return {
      result: view,
      events: [
        {
          type: 'access_review.delegated',
          actorId: actor.id,
          subjects: [
            { type: 'access_review', id: reviewId },
            { type: 'user', id: input.fromUserId },
            { type: 'user', id: input.toUserId },
          ],
          data: { name: access.review.name, ...view },
        },
      ],
    };
  });
}
