import type { Grant } from '../../domain/grants.js';
import type { RequestItem } from '../../domain/requests.js';
import type { NewEvent } from '../../store/events.js';
import { updateItem } from '../../store/requests.js';
import type { Tx } from '../shared/deps.js';
import { insertGrantWithEvent } from '../grants/index.js';

export const itemTarget = (i: Pick<RequestItem, 'groupId' | 'resourceId' | 'accessLevel'>) =>
  i.groupId ? { groupId: i.groupId } : { resourceId: i.resourceId!, accessLevel: i.accessLevel! };

/**
 * Grants an approved item: source `request`, linked to the request, for the requested duration counted from
 * the moment of approval (not from when it was asked for), and marks the item approved.
 */
export async function grantApprovedItem(
  trx: Tx,
  request: { id: string; targetUserId: string; reason: string | null; durationMinutes: number },
  item: Pick<RequestItem, 'id' | 'groupId' | 'resourceId' | 'accessLevel'>,
  approvedBy: string,
  now: Date,
  comment: string | null = null,
): Promise<{ grant: Grant; event: NewEvent }> {
  const out = await insertGrantWithEvent(
    trx,
    {
      userId: request.targetUserId,
      target: itemTarget(item),
      source: 'request',
      reason: request.reason,
      requestId: request.id,
      createdBy: approvedBy,
      startsAt: now,
      expiresAt: new Date(now.getTime() + request.durationMinutes * 60_000),
    },
    now,
  );
  await updateItem(trx, item.id, {
    status: 'approved',
    grantId: out.grant.id,
    decidedAt: now,
    decidedBy: approvedBy,
    ...(comment !== null ? { comment } : {}),
  });
  return out;
}
