import { actingFor } from '../../domain/access-reviews/reviewers.js';
import { notFound } from '../../domain/errors.js';
import type { AccessReviewFacts } from '../../domain/policy/facts.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { findAccessReview, isAssignedReviewer } from '../../store/access-reviews.js';
import { delegationsOf } from '../../store/access-review-delegations.js';
import type { AccessReviewRow, DelegationRow } from '../../store/schema-access-reviews.js';
import type { Tx } from '../shared/deps.js';
import type { OpsDeps } from '../shared/deps.js';

// Who may see a campaign and whose rows they act on. A campaign is visible to admins and auditors and to its
// reviewers (with rows of their own, or rows delegated to them now); to anyone else it does not exist (404).

export interface ReviewAccess {
  review: AccessReviewRow;
  facts: AccessReviewFacts;
  /** The actor and every reviewer whose rows are delegated to them now. */
  actingFor: string[];
  delegations: DelegationRow[];
}

export async function reviewAccess(
  db: OpsDeps['db'] | Tx,
  actor: Actor,
  review: AccessReviewRow,
  now: Date,
): Promise<ReviewAccess> {
  const [delegations, assigned] = await Promise.all([
    delegationsOf(db, review.id),
    isAssignedReviewer(db, review.id, actor.id),
  ]);
  const acting = actingFor(
    actor.id,
    delegations.map((d) => ({ fromUserId: d.from_user_id, toUserId: d.to_user_id, until: d.until })),
    now,
  );
  return { review, facts: { isReviewer: assigned || acting.length > 1 }, actingFor: acting, delegations };
}

/** The campaign as the actor may see it, locked as asked; 404 when it does not exist for them. */
export async function visibleReview(
  db: OpsDeps['db'] | Tx,
  actor: Actor,
  id: string,
  now: Date,
  lock?: 'update' | 'share',
): Promise<ReviewAccess> {
  const review = await findAccessReview(db, id, lock);
  if (!review) throw notFound('access review', id);
  const access = await reviewAccess(db, actor, review, now);
  if (!can(actor, 'accessReview', 'view', access.facts)) throw notFound('access review', id);
  return access;
}
