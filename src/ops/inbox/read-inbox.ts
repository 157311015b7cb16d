import {
  expiringSince,
  EXPIRING_WITHIN_MS,
  isUnread,
  sortInbox,
  type InboxItem,
} from '../../domain/inbox.js';
import { REVIEW_OVERDUE_MS } from '../../domain/break-glass.js';
import type { Actor } from '../../domain/users.js';
import { seenThrough } from '../../store/inbox-reads.js';
import { listActivations } from '../break-glass/index.js';
import { listRequests } from '../requests/index.js';
import type { OpsDeps } from '../shared/deps.js';

// What waits for the caller, gathered from the state itself (src/domain/inbox.ts): break-glass activations they
// may review, requests whose current stage they may decide, and their own access ending within a day.

/** Each kind is listed up to this many, the most recent first. */
const LIMIT = 200;

export interface Inbox {
  items: (InboxItem & { unread: boolean })[];
  unreadCount: number;
  seenThrough: Date | null;
}

export async function readInbox(deps: OpsDeps, actor: Actor): Promise<Inbox> {
  const now = deps.now();
  const [activations, requests, seen] = await Promise.all([
    listActivations(deps, actor, { review: 'pending', limit: LIMIT }),
    listRequests(deps, actor, { reviewable: true, status: 'pending', limit: LIMIT }),
    seenThrough(deps.db, actor.id),
  ]);
  const items: InboxItem[] = [];
  for (const a of activations)
    if (a.abilities.review)
      items.push({
        kind: 'break_glass.review',
        id: a.id,
        at: new Date(a.activatedAt),
        due: new Date(new Date(a.activatedAt).getTime() + REVIEW_OVERDUE_MS),
        overdue: a.review.overdue,
        userId: a.userId,
        items: [{ groupId: a.groupId, resourceId: null, accessLevel: null }],
        reason: a.reason,
      });
  for (const r of requests)
    items.push({
      kind: 'request.decide',
      id: r.id,
      at: new Date(r.createdAt),
      due: new Date(r.expiresAt),
      overdue: false,
      userId: r.targetUserId,
      items: r.items
        .filter((i) => i.status === 'pending')
        .map((i) => ({ groupId: i.groupId, resourceId: i.resourceId, accessLevel: i.accessLevel })),
      reason: r.reason,
    });
  for (const access of deps.index.userAccess(actor.id, now.getTime())) {
    if (access.expiresAt === null || access.expiresAt - now.getTime() > EXPIRING_WITHIN_MS) continue;
    const end = new Date(access.expiresAt);
    const target =
      'groupId' in access.target
        ? { groupId: access.target.groupId, resourceId: null, accessLevel: null }
        : { groupId: null, resourceId: access.target.resourceId, accessLevel: access.target.accessLevel };
    items.push({
      kind: 'access.expiring',
      id: target.groupId ?? `${target.resourceId}:${target.accessLevel}`,
      at: expiringSince(end),
      due: end,
      overdue: false,
      userId: actor.id,
      items: [target],
      reason: null,
    });
  }
  const shown = sortInbox(items).map((i) => ({ ...i, unread: isUnread(i, seen) }));
  return { items: shown, unreadCount: shown.filter((i) => i.unread).length, seenThrough: seen };
}
