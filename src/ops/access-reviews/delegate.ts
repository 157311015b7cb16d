import { conflict, forbidden, invalid, notFound } from '../../domain/errors.js';
import { can } from '../../domain/policy/policy.js';
import { timestampMs } from '../../domain/timestamps.js';
import type { Actor } from '../../domain/users.js';
import { isAssignedReviewer } from '../../store/access-reviews.js';
import { endActiveDelegation, upsertDelegation } from '../../store/access-review-delegations.js';
import type { DelegationRow } from '../../store/schema-access-reviews.js';
import { activeUserIds } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { delegationView, type DelegationView } from './review-view.js';
import { visibleReview, type ReviewAccess } from './visibility.js';

// Handing a reviewer's rows to someone else until a date, and taking them back before then: a reviewer hands
// over (and takes back) their own; admins and auditors anyone's; only while the campaign is open. Both audited.

export interface DelegationInput {
  fromUserId: string;
  toUserId: string;
  until: string;
}

/** Whether `actor` may hand over (or take back) `fromUserId`'s rows of this campaign now; throws if not. */
function mayHandOver(actor: Actor, access: ReviewAccess, fromUserId: string): void {
  const own = fromUserId === actor.id && can(actor, 'accessReview', 'delegateOwn', access.facts);
  if (!own && !can(actor, 'accessReview', 'delegateAny', access.facts))
    throw forbidden('reviewers hand over their own rows; admins and auditors anyone’s');
  if (access.review.status !== 'open') throw conflict(`access review ${access.review.id} is closed`);
}

/** A delegation as the operation answers it, with its event: the campaign and both people as subjects. */
function recorded(
  type: 'access_review.delegated' | 'access_review.delegation_ended',
  actor: Actor,
  access: ReviewAccess,
  row: DelegationRow,
) {
  const view = delegationView(row);
  const subjects = [
    { type: 'access_review', id: access.review.id },
    { type: 'user', id: row.from_user_id },
    { type: 'user', id: row.to_user_id },
  ];
  return {
    result: view,
    events: [{ type, actorId: actor.id, subjects, data: { name: access.review.name, ...view } }],
  };
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
    mayHandOver(actor, access, input.fromUserId);
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
    return recorded('access_review.delegated', actor, access, row);
  });
}

/** Ends the delegation of a reviewer's rows now (audited): the rows go back to their reviewer at once. */
export async function endDelegation(
  deps: OpsDeps,
  actor: Actor,
  reviewId: string,
  fromUserId: string,
): Promise<DelegationView> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const access = await visibleReview(trx, actor, reviewId, now, 'share');
    mayHandOver(actor, access, fromUserId);
    const row = await endActiveDelegation(trx, reviewId, fromUserId, now);
    if (!row) throw notFound('active delegation of the rows of', fromUserId);
    return recorded('access_review.delegation_ended', actor, access, row);
  });
}
