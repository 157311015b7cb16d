import { actingFor } from '../../domain/access-reviews/reviewers.js';
import type { ReviewStatus } from '../../domain/access-reviews/campaign.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { listAccessReviews, progressByReviewer } from '../../store/access-reviews.js';
import { delegationsOfReviews } from '../../store/access-review-delegations.js';
import { pageReviewRows, reviewersOfRows, type DecisionFilter } from '../../store/access-review-rows.js';
import type { OpsDeps } from '../shared/deps.js';
import { reviewCaller, rowAbilities } from './abilities.js';
import { reviewView, rowView, type AccessReviewView, type ReviewRowView } from './review-view.js';
import { visibleReview, type ReviewAccess } from './visibility.js';

// Reads of campaigns, each with its visibility rule: admins and auditors see every campaign and row; reviewers see
// the campaigns they review and only their own rows (and those delegated to them now).

export interface ReviewPageQuery {
  status?: ReviewStatus | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export async function listReviews(
  deps: OpsDeps,
  actor: Actor,
  q: ReviewPageQuery,
): Promise<AccessReviewView[]> {
  const readAll = can(actor, 'accessReview', 'readAllRows', { isReviewer: false });
  const rows = await listAccessReviews(deps.db, {
    ...q,
    reviewerId: readAll ? undefined : actor.id,
    now: deps.now(),
  });
  const ids = rows.map((r) => r.id);
  const [progress, delegations] = await Promise.all([
    progressByReviewer(deps.db, ids),
    delegationsOfReviews(deps.db, ids),
  ]);
  const now = deps.now();
  return rows.map((r) => {
    const handed = delegations.get(r.id) ?? [];
    const acting = actingFor(
      actor.id,
      handed.map((d) => ({ fromUserId: d.from_user_id, toUserId: d.to_user_id, until: d.until })),
      now,
    );
    // Listed to others only because they review it.
    const caller = reviewCaller(actor, { review: r, facts: { isReviewer: !readAll }, actingFor: acting });
    return reviewView(r, progress.get(r.id) ?? [], handed, caller);
  });
}

export async function getReview(deps: OpsDeps, actor: Actor, id: string): Promise<AccessReviewView> {
  const access = await visibleReview(deps.db, actor, id, deps.now());
  const progress = await progressByReviewer(deps.db, [id]);
  return reviewView(access.review, progress.get(id) ?? [], access.delegations, reviewCaller(actor, access));
}

export interface RowQuery {
  reviewerId?: string | undefined;
  decision?: DecisionFilter | undefined;
  userId?: string | undefined;
  groupId?: string | undefined;
  resourceId?: string | undefined;
  afterPosition?: number | undefined;
  limit: number;
}

/** Whose rows a read shows: a reviewer's own (never another's); for readers of every row, all or one reviewer's. */
export function rowReviewers(actor: Actor, access: ReviewAccess, reviewerId: string | undefined, now: Date) {
  if (!can(actor, 'accessReview', 'readAllRows', access.facts)) {
    if (reviewerId !== undefined && reviewerId !== actor.id) throw forbidden('reviewers read their own rows');
    return access.actingFor;
  }
  if (reviewerId === undefined) return undefined;
  const delegations = access.delegations.map((d) => ({
    fromUserId: d.from_user_id,
    toUserId: d.to_user_id,
    until: d.until,
  }));
  return actingFor(reviewerId, delegations, now);
}

export async function listRows(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  q: RowQuery,
): Promise<ReviewRowView[]> {
  if (q.groupId !== undefined && q.resourceId !== undefined)
    throw invalid('resourceId', 'give a groupId or a resourceId, not both');
  const now = deps.now();
  const access = await visibleReview(deps.db, actor, id, now);
  const rows = await pageReviewRows(deps.db, id, {
    decision: q.decision,
    userId: q.userId,
    itemId: q.groupId ?? q.resourceId,
    afterPosition: q.afterPosition,
    limit: q.limit,
    reviewerIds: rowReviewers(actor, access, q.reviewerId, now),
  });
  const reviewers = await reviewersOfRows(
    deps.db,
    id,
    rows.map((r) => r.position),
  );
  return rows.map((r) => {
    const ids = reviewers.get(r.position) ?? [];
    return rowView(r, ids, rowAbilities(actor, access, r, ids), access.review.status === 'closed');
  });
}
