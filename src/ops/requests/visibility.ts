import { AppError, notFound } from '../../domain/errors.js';
import { canSeeRequest, isSelfReview, type AccessRequest } from '../../domain/requests.js';
import { canReadAll, type Actor } from '../../domain/users.js';
import { findGroupsByIds } from '../../store/groups.js';
import { findRequest, isReviewerOf } from '../../store/request-reads.js';
import { findResourcesByIds } from '../../store/resources.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { relationTo } from '../shared/ownership.js';

type Db = OpsDeps['db'] | Tx;

/** Named by a stage of the request's snapshot, directly or as an effective member of a named group. */
function namedInStages(deps: OpsDeps, actor: Actor, r: AccessRequest, now: Date): boolean {
  const stages = r.items.flatMap((i) => i.reviewerStages);
  if (stages.some((s) => s.reviewers.userIds.includes(actor.id))) return true;
  const groups = new Set(stages.flatMap((s) => s.reviewers.groupIds));
  return [...groups].some((groupId) => deps.index?.isAllowed(actor.id, { groupId }, now.getTime()));
}

/**
 * Whether the actor reviews the request (a reviewer of a stage that started, or named by a later one) and
 * whether they own one of its items, right now.
 */
export async function relationToRequest(db: Db, deps: OpsDeps, actor: Actor, r: AccessRequest, now: Date) {
  const isReviewer = namedInStages(deps, actor, r, now) || (await isReviewerOf(db, r.id, actor.id));
  const groupIds = r.items.flatMap((i) => (i.groupId ? [i.groupId] : []));
  const resourceIds = r.items.flatMap((i) => (i.resourceId ? [i.resourceId] : []));
  const items = [...(await findGroupsByIds(db, groupIds)), ...(await findResourcesByIds(db, resourceIds))];
  const ownsAnItem = items.some((item) => relationTo(deps.index, actor, item, now).isOwner);
  return { isReviewer, ownsAnItem };
}

/** A request the actor may see, or 404: an id outside the caller's view is indistinguishable from none. */
export async function visibleRequest(
  db: Db,
  deps: OpsDeps,
  actor: Actor,
  id: string,
  now: Date,
  lock = false,
): Promise<AccessRequest> {
  const r = await findRequest(db, id, now, lock);
  if (!r) throw notFound('request', id);
  if (canReadAll(actor) || actor.id === r.requesterId || actor.id === r.targetUserId) return r;
  if (!canSeeRequest(actor, r, await relationToRequest(db, deps, actor, r, now)))
    throw notFound('request', id);
  return r;
}

export function assertPending(r: AccessRequest) {
  if (r.status !== 'pending')
    throw new AppError('request_not_pending', `request ${r.id} is no longer pending (${r.status})`);
}

/** Locks the request for a review and re-checks it: visible, still pending, and not the reviewer's own. */
export async function lockForReview(trx: Tx, deps: OpsDeps, actor: Actor, id: string, now: Date) {
  const r = await visibleRequest(trx, deps, actor, id, now, true);
  assertPending(r);
  if (isSelfReview(actor, r))
    throw new AppError('self_review_forbidden', 'nobody reviews a request they made or that is for them');
  return r;
}
