import { conflict, invalid } from '../../domain/errors.js';
import {
  deriveStatus,
  MAX_COMMENT_LENGTH,
  stagePassed,
  type AccessRequest,
  type RequestItem,
} from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { findGroup } from '../../store/groups.js';
import { findRequest } from '../../store/request-reads.js';
import { recordApproval, setRequestStatus, updateItem } from '../../store/requests.js';
import { findResource } from '../../store/resources.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { grantApprovedItem } from './grant-approved.js';
import { queueDecisionNotice, queueReviewNotice, requestSubjects } from './notices.js';
import { startStage } from './reviewers.js';
import { itemsDecidedBy, lockForReview } from './visibility.js';
import { runInTransaction } from '../shared/transaction.js';

/** The item as it is now; one deleted (or a resource level removed) since the request cannot be granted. */
async function liveItem(trx: Tx, i: RequestItem) {
  const group = i.groupId ? await findGroup(trx, i.groupId) : undefined;
  const resource = i.resourceId ? await findResource(trx, i.resourceId) : undefined;
  const item = group ?? resource;
  if (!item || (resource && !resource.accessLevels.includes(i.accessLevel!)))
    throw conflict(
      `an item of this request no longer exists as requested: ${i.groupId ?? `${i.resourceId}:${i.accessLevel}`}`,
    );
  return item;
}

/**
 * Approves, as the caller, every item of the request whose current stage they review. A stage that passes
 * moves the item to the next one; passing the last grants the item, its clock starting now. The request row is
 * locked first, so two reviewers approving at once are serialized and the second sees the first's outcome.
 */
export async function approveRequest(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: { comment?: string | undefined } = {},
): Promise<AccessRequest> {
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > MAX_COMMENT_LENGTH)
    throw invalid('comment', `must be at most ${MAX_COMMENT_LENGTH} characters`);
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const r = await lockForReview(trx, deps, actor, id, now);
    const mine = await itemsDecidedBy(trx, deps, actor, r, now);
    const open = mine.filter((i) => !i.currentStage!.approvedBy.includes(actor.id));
    if (open.length === 0) throw conflict(`you have already approved the current stage of request ${id}`);

    const events: NewEvent[] = [];
    const granted: { itemId: string; grantId: string }[] = [];
    const advanced: { itemId: string; stageIndex: number; passed: boolean }[] = [];
    const nextReviewers = new Set<string>();
    for (const item of open) {
      const owners = await liveItem(trx, item);
      const stage = item.currentStage!;
      await recordApproval(trx, item.id, stage.index, actor.id, now, comment);
      if (!stagePassed(stage.operator, stage.reviewerIds, [...stage.approvedBy, actor.id])) {
        advanced.push({ itemId: item.id, stageIndex: stage.index, passed: false });
      } else if (stage.index + 1 < item.reviewerStages.length) {
        await updateItem(trx, item.id, { stageIndex: stage.index + 1 });
        const next = { id: item.id, requestId: r.id, stages: item.reviewerStages, owners };
        const excluded = [r.requesterId, r.targetUserId];
        (await startStage(trx, deps.index, next, stage.index + 1, excluded, now)).forEach((u) =>
          nextReviewers.add(u),
        );
        advanced.push({ itemId: item.id, stageIndex: stage.index, passed: true });
      } else {
        const { grant, event } = await grantApprovedItem(trx, r, item, actor.id, now, comment);
        events.push(event);
        granted.push({ itemId: item.id, grantId: grant.id });
      }
    }

    const after = (await findRequest(trx, id, now))!;
    const status = deriveStatus(after.items);
    if (status !== 'pending') await setRequestStatus(trx, id, status, now);
    const result = status === after.status ? after : (await findRequest(trx, id, now))!;
    const subjects = requestSubjects(result);
    if (advanced.length) {
      await queueReviewNotice(trx, result, [...nextReviewers], now);
      events.push({
        type: 'request.stage_approved',
        actorId: actor.id,
        subjects,
        data: { comment, items: advanced },
      });
    }
    if (granted.length) {
      await queueDecisionNotice(trx, 'request.approved', result, actor.id, now, { comment });
      events.push({
        type: 'request.approved',
        actorId: actor.id,
        subjects,
        data: { comment, status: result.status, items: granted },
      });
    }
    return { result, events };
  });
}
