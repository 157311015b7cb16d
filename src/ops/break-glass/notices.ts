import type { IndexReader } from '../../access/index-reader.js';
import type { Activation } from '../../domain/break-glass.js';
import type { Subject } from '../../domain/audit-chain.js';
import type { Group } from '../../domain/items.js';
import { channelCarries } from '../../domain/notification-channels.js';
import type { NoticeDeliveries } from '../../domain/notice-deliveries.js';
import { enqueueChannelNotices, groupChannelRows } from '../../store/notification-channels.js';
import { activeRecipients, enqueueNotifications } from '../../store/outbox.js';
import { findUserById } from '../../store/users.js';
import type { Tx } from '../shared/deps.js';
import { emailedCount } from '../notifications/index.js';
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
 * Answers what goes out: who sees an activation to review in their inbox (owners and admins but the activator),
 * whom it is e-mailed to (only when an enabled e-mail channel carries it) and which channels it is posted to.
 */
export async function queueBreakGlassNotice(
  trx: Tx,
  index: IndexReader,
  kind: BreakGlassNoticeKind,
  group: Pick<Group, 'id' | 'name' | 'ownerUserIds' | 'ownerGroupId'>,
  activation: Activation,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<NoticeDeliveries> {
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
  const emailed = people > 0 ? await emailedCount(trx, kind, recipients) : 0;
  const picked = await groupChannelRows(trx, group.id);
  // Queued to every channel the group picked (delivery skips one that does not carry it then); told as posted
  // only to those that carry it now.
  await enqueueChannelNotices(
    trx,
    kind,
    picked.map((c) => c.id),
    payload,
    now,
  );
  const channels = picked.filter((c) => channelCarries(c, kind));
  const reviewers = recipients.filter((id) => id !== activation.userId).length;
  return {
    shownInLatch: kind === 'break_glass.activated' ? reviewers : 0,
    emailed,
    channels: channels.map((c) => c.name),
  };
}
