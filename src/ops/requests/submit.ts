import type { RequestConfiguration } from '../../domain/request-config.js';
import { DEFAULT_REQUEST_TTL_MINUTES, deriveStatus, type AccessRequest } from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { newId } from '../../store/ids.js';
import { requestPending } from '../../domain/errors.js';
import { lockRequestsFor } from '../../store/locks.js';
import { findWaitingRequest } from '../../store/request-queries.js';
import { findRequest } from '../../store/request-reads.js';
import { insertRequest, insertRequestItem, setRequestStatus } from '../../store/requests.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { grantApprovedItem } from './grant-approved.js';
import { queueDecisionNotice, queueReviewNotice, requestSubjects } from './notices.js';
import { startStage, type ItemOwners } from './reviewers.js';

/** An item already checked as requestable for the target, with the configuration entry it matched. */
export interface MatchedItem {
  target: { groupId: string } | { resourceId: string; accessLevel: string };
  /** How messages name it: "group 'prod-db-admins'". */
  label: string;
  owners: ItemOwners;
  config: RequestConfiguration;
}

export interface Submission {
  targetUserId: string;
  durationMinutes: number;
  reason: string | null;
  extensionOf: string | null;
  items: MatchedItem[];
}

/**
 * Writes a request whose items were all found requestable: auto-approved items are granted at once, the others
 * snapshot their stages and start the first one. Shared by new requests and grant extensions. The same access
 * for the same person is asked for once at a time: a second submission while one waits is refused, pointing at it.
 */
export async function submitRequest(
  trx: Tx,
  deps: OpsDeps,
  actor: Actor,
  s: Submission,
  now: Date,
): Promise<{ result: AccessRequest; events: NewEvent[] }> {
  await lockRequestsFor(trx, s.targetUserId);
  const waiting = await findWaitingRequest(
    trx,
    s.targetUserId,
    s.items.map((m) => m.target),
    now,
  );
  if (waiting) {
    const what = s.items[waiting.position]?.label ?? 'this access';
    throw requestPending(waiting.requestId, s.targetUserId === actor.id ? what : `${what} for this user`);
  }
  const id = newId('req');
  const ttl = deps.requestTtlMinutes ?? DEFAULT_REQUEST_TTL_MINUTES;
  const header = {
    id,
    requesterId: actor.id,
    targetUserId: s.targetUserId,
    reason: s.reason,
    durationMinutes: s.durationMinutes,
    extensionOf: s.extensionOf,
  };
  await insertRequest(trx, { ...header, createdAt: now, expiresAt: new Date(now.getTime() + ttl * 60_000) });
  const excluded = [actor.id, s.targetUserId];
  const grantEvents: NewEvent[] = [];
  const reviewers = new Set<string>();
  for (const [position, m] of s.items.entries()) {
    const itemId = newId('req');
    const stages = m.config.autoApprove ? [] : m.config.reviewerStages;
    await insertRequestItem(trx, {
      id: itemId,
      requestId: id,
      position,
      target: m.target,
      configPriority: m.config.priority,
      autoApprove: m.config.autoApprove,
      reviewerStages: stages,
    });
    if (m.config.autoApprove) {
      const item =
        'groupId' in m.target
          ? { id: itemId, groupId: m.target.groupId, resourceId: null, accessLevel: null }
          : { id: itemId, groupId: null, ...m.target };
      grantEvents.push((await grantApprovedItem(trx, header, item, actor.id, now)).event);
    } else {
      const item = { id: itemId, requestId: id, stages, owners: m.owners };
      (await startStage(trx, deps.index, item, 0, excluded, now)).forEach((u) => reviewers.add(u));
    }
  }
  const status = deriveStatus((await findRequest(trx, id, now))!.items);
  if (status !== 'pending') await setRequestStatus(trx, id, status, now);
  const request = (await findRequest(trx, id, now))!;

  const approved = request.items.filter((i) => i.status === 'approved');
  const reviewerDeliveries = await queueReviewNotice(trx, request, [...reviewers], now);
  if (approved.length) await queueDecisionNotice(trx, 'request.approved', request, actor.id, now);
  const subjects = requestSubjects(request);
  const events: NewEvent[] = [
    {
      type: 'request.created',
      actorId: actor.id,
      subjects,
      data: {
        targetUserId: request.targetUserId,
        durationMinutes: request.durationMinutes,
        reason: request.reason,
        extensionOf: request.extensionOf,
        items: request.items.map((i) => ({
          itemId: i.id,
          groupId: i.groupId,
          resourceId: i.resourceId,
          accessLevel: i.accessLevel,
          autoApprove: i.autoApprove,
          stages: i.reviewerStages.length,
        })),
        reviewerDeliveries,
      },
    },
    ...grantEvents,
  ];
  if (approved.length)
    events.push({
      type: 'request.approved',
      actorId: actor.id,
      subjects,
      data: {
        automatic: true,
        status: request.status,
        items: approved.map((i) => ({ itemId: i.id, grantId: i.grantId })),
      },
    });
  return { result: request, events };
}
