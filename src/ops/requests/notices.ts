import type { NoticeDeliveries } from '../../domain/notice-deliveries.js';
import { emailedCount } from '../notifications/index.js';
import type { Subject } from '../../domain/audit-chain.js';
import type { AccessRequest } from '../../domain/requests.js';
import { enqueueNotifications } from '../../store/outbox.js';
import type { Tx } from '../shared/deps.js';
import { activeUserIds } from '../../store/users.js';

export type RequestNoticeKind = 'request.review_requested' | 'request.approved' | 'request.denied';

/**
 * Every event about a request names the request, the people, the items and every grant it has made: the access
 * index reloads the grants events name, so an approval's access is visible as soon as the call returns.
 */
export function requestSubjects(r: AccessRequest, extraGrantIds: string[] = []): Subject[] {
  const subjects: Subject[] = [{ type: 'request', id: r.id }];
  const add = (s: Subject) => {
    if (!subjects.some((x) => x.type === s.type && x.id === s.id)) subjects.push(s);
  };
  add({ type: 'user', id: r.requesterId });
  add({ type: 'user', id: r.targetUserId });
  for (const i of r.items)
    add(i.groupId ? { type: 'group', id: i.groupId } : { type: 'resource', id: i.resourceId! });
  for (const i of r.items) if (i.grantId) add({ type: 'grant', id: i.grantId });
  for (const g of extraGrantIds) add({ type: 'grant', id: g });
  if (r.extensionOf) add({ type: 'grant', id: r.extensionOf });
  return subjects;
}

const payloadOf = (r: AccessRequest) => ({
  requestId: r.id,
  requesterId: r.requesterId,
  targetUserId: r.targetUserId,
  status: r.status,
  reason: r.reason,
  durationMinutes: r.durationMinutes,
  extensionOf: r.extensionOf,
  items: r.items.map((i) => ({
    groupId: i.groupId,
    resourceId: i.resourceId,
    accessLevel: i.accessLevel,
    status: i.status,
    grantId: i.grantId,
  })),
});

/**
 * Asks the reviewers of a stage that just started to review; written in the change's transaction. Answers what
 * goes out: every active reviewer sees the request in their Latch inbox; e-mail only through a channel for it.
 */
export async function queueReviewNotice(
  trx: Tx,
  r: AccessRequest,
  reviewerIds: string[],
  now: Date,
): Promise<NoticeDeliveries> {
  const kind = 'request.review_requested';
  const recipients = await activeUserIds(trx, [...new Set(reviewerIds)]);
  await enqueueNotifications(trx, kind, recipients, payloadOf(r), now);
  return {
    shownInLatch: recipients.length,
    emailed: await emailedCount(trx, kind, recipients),
    channels: [],
  };
}

/** Tells the requester and the target of a decision; nobody is told about their own action. */
export async function queueDecisionNotice(
  trx: Tx,
  kind: 'request.approved' | 'request.denied',
  r: AccessRequest,
  actorId: string,
  now: Date,
  extra: Record<string, unknown> = {},
) {
  const people = [...new Set([r.requesterId, r.targetUserId])].filter((u) => u !== actorId);
  const recipients = await activeUserIds(trx, people);
  return enqueueNotifications(trx, kind, recipients, { ...payloadOf(r), ...extra }, now);
}
