import { AppError, forbidden, notFound } from '../../domain/errors.js';
import type { RequestFacts } from '../../domain/policy/facts.js';
import { stageNames } from '../../domain/request-config.js';
import type { AccessRequest, RequestItem } from '../../domain/requests.js';
import { isAdmin, type Actor } from '../../domain/users.js';
import { findGroupsByIds } from '../../store/groups.js';
import { findRequest, isReviewerOf } from '../../store/request-reads.js';
import { findResourcesByIds } from '../../store/resources.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { isOwnerOf, type Owned } from '../shared/ownership.js';

type Db = OpsDeps['db'] | Tx;

/** Named by a stage of the request's snapshot, directly or as an effective member of a named group. */
function namedInStages(deps: OpsDeps, actor: Actor, r: AccessRequest, now: Date): boolean {
  const stages = r.items.flatMap((i) => i.reviewerStages);
  if (stages.some((s) => s.reviewers.userIds.includes(actor.id))) return true;
  const groups = new Set(stages.flatMap((s) => s.reviewers.groupIds));
  return [...groups].some((groupId) => deps.index.isAllowed(actor.id, { groupId }, now.getTime()));
}

/** What the policy is told about the actor and a request: do they review it, do they own one of its items. */
export async function requestFacts(
  db: Db,
  deps: OpsDeps,
  actor: Actor,
  r: AccessRequest,
  now: Date,
): Promise<RequestFacts> {
  const base = { requesterId: r.requesterId, targetUserId: r.targetUserId };
  if (actor.id === r.requesterId || actor.id === r.targetUserId)
    return { ...base, isReviewer: false, ownsAnItem: false };
  const isReviewer = namedInStages(deps, actor, r, now) || (await isReviewerOf(db, r.id, actor.id));
  const groupIds = r.items.flatMap((i) => (i.groupId ? [i.groupId] : []));
  const resourceIds = r.items.flatMap((i) => (i.resourceId ? [i.resourceId] : []));
  const items = [...(await findGroupsByIds(db, groupIds)), ...(await findResourcesByIds(db, resourceIds))];
  const ownsAnItem = items.some((item) => isOwnerOf(deps.index, actor.id, item, now));
  return { ...base, isReviewer, ownsAnItem };
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
  authorize(actor, 'request', 'view', await requestFacts(db, deps, actor, r, now), () =>
    notFound('request', id),
  );
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
  if (actor.id === r.requesterId || actor.id === r.targetUserId)
    throw new AppError('self_review_forbidden', 'nobody reviews a request they made or that is for them');
  return r;
}

/** The requested item as it is now (its owners), or undefined when it was deleted since. */
export async function requestedItemNow(db: Db, item: RequestItem): Promise<Owned | undefined> {
  if (item.groupId) return (await findGroupsByIds(db, [item.groupId]))[0];
  return item.resourceId ? (await findResourcesByIds(db, [item.resourceId]))[0] : undefined;
}

/** The items whose current stage the actor decides now; refuses when there are none. */
export async function itemsDecidedBy(
  trx: Tx,
  deps: OpsDeps,
  actor: Actor,
  r: AccessRequest,
  now: Date,
): Promise<RequestItem[]> {
  const stored = r.items.filter(
    (i) => i.status === 'pending' && i.currentStage?.reviewerIds.includes(actor.id),
  );
  const mine: RequestItem[] = [];
  for (const item of stored)
    if (decidesStageNow(deps, actor, item, await requestedItemNow(trx, item), now)) mine.push(item);
  if (mine.length > 0) return mine;
  if (stored.length > 0)
    throw forbidden(
      `you no longer review the current stage of request ${r.id}: the stage names owners or groups you are no longer part of`,
    );
  throw forbidden(`you are not a reviewer of the current stage of request ${r.id}`);
}

/**
 * Whether the actor decides the item's current stage now: stored as one of its reviewers when the stage started,
 * and still named by it at this moment (an owner who lost ownership since, or a member who left a reviewing
 * group, no longer decides). Admins stored as reviewers always decide.
 */
export function decidesStageNow(
  deps: OpsDeps,
  actor: Actor,
  item: RequestItem,
  owners: Owned | undefined,
  now: Date,
) {
  const current = item.currentStage;
  const stage = current && item.reviewerStages[current.index];
  if (!current || !stage || !current.reviewerIds.includes(actor.id)) return false;
  if (isAdmin(actor)) return true;
  return stageNames(stage, {
    userId: actor.id,
    isAdmin: false,
    isOwner: owners !== undefined && isOwnerOf(deps.index, actor.id, owners, now),
    isMemberOf: (groupId) => deps.index.isAllowed(actor.id, { groupId }, now.getTime()),
  });
}
