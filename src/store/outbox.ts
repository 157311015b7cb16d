import type { Kysely, Transaction } from 'kysely';
import { newId } from './ids.js';
import type { Database, OutboxRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// The notification outbox: one row per recipient, written in the transaction of the change it announces, so a
// notification exists exactly when its change committed. Delivery channels read and update rows later.

/** `skipped`: no enabled channel could carry the notice (for example no e-mail channel for a person). */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface Notification {
  id: string;
  kind: string;
  /** A person (delivered by e-mail) or a channel (a group's channels); exactly one is set. */
  recipientUserId: string | null;
  channelId: string | null;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

export const toNotification = (r: OutboxRow): Notification => ({
  id: r.id,
  kind: r.kind,
  recipientUserId: r.recipient_user_id,
  channelId: r.channel_id,
  payload: r.payload,
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at.toISOString(),
  lastError: r.last_error,
  sentAt: r.sent_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export async function enqueueNotifications(
  db: Db,
  kind: string,
  recipientUserIds: string[],
  payload: Record<string, unknown>,
  now: Date,
): Promise<number> {
  if (recipientUserIds.length === 0) return 0;
  const json = JSON.stringify(payload);
  await db
    .insertInto('outbox')
    .values(
      recipientUserIds.map((recipient) => ({
        id: newId('ntf'),
        kind,
        recipient_user_id: recipient,
        payload: json,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
  return recipientUserIds.length;
}

export interface OutboxFilter {
  status?: OutboxStatus | undefined;
  kind?: string | undefined;
  recipientUserId?: string | undefined;
  channelId?: string | undefined;
  afterId?: string | undefined;
  limit: number;
}

export async function listNotifications(db: Db, f: OutboxFilter): Promise<Notification[]> {
  let q = db.selectFrom('outbox').selectAll().orderBy('id').limit(f.limit);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.recipientUserId) q = q.where('recipient_user_id', '=', f.recipientUserId);
  if (f.channelId) q = q.where('channel_id', '=', f.channelId);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return (await q.execute()).map(toNotification);
}

/** Who a notice may go to: active admins, plus whichever of the given users are active. */
export async function activeRecipients(db: Db, userIds: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('role', '=', 'admin'), ...(userIds.length ? [eb('id', 'in', userIds)] : [])]))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
