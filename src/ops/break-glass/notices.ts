import type { IndexReader } from '../../access/index-reader.js';
import type { Activation } from '../../domain/break-glass.js';
import type { Subject } from '../../domain/audit-chain.js';
import type { Group } from '../../domain/items.js';
import { enqueueChannelNotices, groupChannelIds } from '../../store/notification-channels.js';
import { activeRecipients, enqueueNotifications } from '../../store/outbox.js';
import { findUserById } from '../../store/users.js';
import type { Tx } from '../shared/deps.js';
import { ownersOf } from '../shared/ownership.js';

export type BreakGlassNoticeKind = 'break_glass.activated' | 'break_glass.ended' | 'break_glass.reviewed';

/** Every event about an activation names its grant too: the access index reloads the grants events name. */
export const activationSubjects = (a: Activation): Subject[] => [
  { type: 'break_glass_activation', id: a.id },
  { type: 'grant', id: a.grantId },
  { type: 'user', id: a.userId },
  { type: 'group', id: a.groupId },
];

/**
 * Queues one notice per owner of the group, per active admin and per channel the group picked, in the
 * caller's transaction: the notice exists exactly when the change committed, and nothing waits for delivery.
 */
export async function queueBreakGlassNotice(
  trx: Tx,
  index: IndexReader,
  kind: BreakGlassNoticeKind,
  group: Pick<Group, 'id' | 'name' | 'ownerUserIds' | 'ownerGroupId'>,
  activation: Activation,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const recipients = await activeRecipients(trx, ownersOf(index, group, now));
  const user = await findUserById(trx, activation.userId);
  const payload = {
    activationId: activation.id,
    group: { id: group.id, name: group.name },
    user: { id: activation.userId, email: user?.email ?? null },
    reason: activation.reason,
    activatedAt: activation.activatedAt,
    expiresAt: activation.expiresAt,
    ...extra,
  };
  const people = await enqueueNotifications(trx, kind, recipients, payload, now);
  const channelIds = await groupChannelIds(trx, group.id);
  return people + (await enqueueChannelNotices(trx, kind, channelIds, payload, now));
}
