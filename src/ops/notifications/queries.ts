import { notFound } from '../../domain/errors.js';
import type { NotificationChannel } from '../../domain/notification-channels.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { findCursor } from '../../store/event-stream-cursors.js';
import { findGroup } from '../../store/groups.js';
import {
  findChannelRow,
  groupChannelIds,
  listChannels as storeListChannels,
  toChannel,
} from '../../store/notification-channels.js';
import { listNotifications, type Notification, type OutboxFilter } from '../../store/outbox.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of notification channels and the outbox. Everyone signed in may see which channels exist (owners pick
// their group's); their settings are for admins and auditors, and the outbox for admins.

export interface StreamState {
  lastSeq: number;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastDeliveredAt: string | null;
}

const shownTo = (actor: Actor, c: NotificationChannel): NotificationChannel =>
  can(actor, 'channel', 'viewSettings', {}) ? c : { ...c, config: {}, secretsSet: [] };

export async function listChannels(
  deps: OpsDeps,
  actor: Actor,
  f: { afterId?: string | undefined; limit: number },
): Promise<NotificationChannel[]> {
  return (await storeListChannels(deps.db, f)).map((c) => shownTo(actor, c));
}

/** One channel, with where its audit stream stands when it has one (for readers of its settings). */
export async function getChannel(
  deps: OpsDeps,
  actor: Actor,
  id: string,
): Promise<NotificationChannel & { stream: StreamState | null }> {
  const row = await findChannelRow(deps.db, id);
  if (!row) throw notFound('notification channel', id);
  const cursor = can(actor, 'channel', 'viewSettings', {}) ? await findCursor(deps.db, row.id) : undefined;
  const stream = cursor
    ? {
        lastSeq: Number(cursor.last_seq),
        attempts: cursor.attempts,
        nextAttemptAt: cursor.next_attempt_at.toISOString(),
        lastError: cursor.last_error,
        lastDeliveredAt: cursor.last_delivered_at?.toISOString() ?? null,
      }
    : null;
  return { ...shownTo(actor, toChannel(row)), stream };
}

export async function groupChannels(deps: OpsDeps, groupId: string): Promise<{ channelIds: string[] }> {
  if (!(await findGroup(deps.db, groupId))) throw notFound('group', groupId);
  return { channelIds: await groupChannelIds(deps.db, groupId) };
}

export async function listNotices(deps: OpsDeps, actor: Actor, f: OutboxFilter): Promise<Notification[]> {
  authorize(actor, 'channel', 'listNotices', {}, 'only admins can list notifications');
  return listNotifications(deps.db, f);
}
