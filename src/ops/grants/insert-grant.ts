import type { GrantSource } from '../../domain/access-facts.js';
import type { Grant } from '../../domain/grants.js';
import { newId } from '../../store/ids.js';
import { insertGrant, toGrant } from '../../store/grants.js';
import type { NewEvent } from '../../store/events.js';
import type { Tx } from '../shared/deps.js';

export interface GrantSpec {
  userId: string;
  target: { groupId: string } | { resourceId: string; accessLevel: string };
  source: GrantSource;
  reason: string | null;
  requestId?: string | null;
  createdBy: string | null;
  startsAt: Date;
  expiresAt: Date | null;
  onCallScheduleId?: string | null;
}

/** Every source of access (direct, request, break-glass, on-call) writes its grant and event the same way. */
export async function insertGrantWithEvent(
  trx: Tx,
  spec: GrantSpec,
  now: Date,
): Promise<{ grant: Grant; event: NewEvent }> {
  const isGroup = 'groupId' in spec.target;
  const row = await insertGrant(trx, {
    id: newId('grt'),
    userId: spec.userId,
    groupId: isGroup ? (spec.target as { groupId: string }).groupId : null,
    resourceId: isGroup ? null : (spec.target as { resourceId: string }).resourceId,
    accessLevel: isGroup ? null : (spec.target as { accessLevel: string }).accessLevel,
    source: spec.source,
    reason: spec.reason,
    requestId: spec.requestId ?? null,
    createdBy: spec.createdBy,
    createdAt: now,
    startsAt: spec.startsAt,
    expiresAt: spec.expiresAt,
    onCallScheduleId: spec.onCallScheduleId ?? null,
  });
  const grant = toGrant(row, now);
  const item = grant.groupId
    ? { type: 'group', id: grant.groupId }
    : { type: 'resource', id: grant.resourceId! };
  const event: NewEvent = {
    type: 'grant.created',
    actorId: spec.createdBy,
    subjects: [{ type: 'grant', id: grant.id }, { type: 'user', id: grant.userId }, item],
    data: {
      source: grant.source,
      accessLevel: grant.accessLevel,
      reason: grant.reason,
      startsAt: grant.startsAt,
      expiresAt: grant.expiresAt,
      requestId: grant.requestId,
      ...(spec.onCallScheduleId ? { scheduleId: spec.onCallScheduleId } : {}),
    },
  };
  return { grant, event };
}
