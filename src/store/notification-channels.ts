import type { Kysely, Transaction } from 'kysely';
import {
  publicConfig,
  secretsSet,
  type ChannelType,
  type NotificationChannel,
} from '../domain/notification-channels.js';
import { newId } from './ids.js';
import type { ChannelRow, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Notification channels (soft-deleted, so outbox rows that name one keep their reference) and the channels
// each group's notices go to.

export const toChannel = (r: ChannelRow): NotificationChannel => ({
  id: r.id,
  name: r.name,
  type: r.type as ChannelType,
  config: publicConfig(r.type as ChannelType, r.config),
  secretsSet: secretsSet(r.type as ChannelType, r.config, r.sealed_secrets !== null),
  enabled: r.enabled,
  events: r.events,
  allEvents: r.all_events,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface ChannelFields {
  name: string;
  type: ChannelType;
  /** The shown part only; the secrets go sealed in `sealedSecrets`. */
  config: Record<string, unknown>;
  sealedSecrets: string | null;
  enabled: boolean;
  events: string[] | null;
  allEvents: boolean;
}

/** A new channel's id, known before its row is written: its secrets are sealed for that row. */
export const newChannelId = () => newId('chn');

export async function insertChannel(db: Db, id: string, f: ChannelFields, now: Date): Promise<ChannelRow> {
  return db
    .insertInto('notification_channels')
    .values({
      id,
      name: f.name,
      type: f.type,
      config: JSON.stringify(f.config),
      sealed_secrets: f.sealedSecrets,
      enabled: f.enabled,
      events: f.events,
      all_events: f.allEvents,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findChannelRow(db: Db, id: string, lock = false): Promise<ChannelRow | undefined> {
  let q = db
    .selectFrom('notification_channels')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listChannels(db: Db, f: { afterId?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('notification_channels')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(f.limit);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return (await q.execute()).map(toChannel);
}

export async function updateChannelRow(db: Db, id: string, f: ChannelFields, now: Date): Promise<ChannelRow> {
  return db
    .updateTable('notification_channels')
    .set({
      name: f.name,
      config: JSON.stringify(f.config),
      sealed_secrets: f.sealedSecrets,
      enabled: f.enabled,
      events: f.events,
      all_events: f.allEvents,
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Soft delete: the channel leaves every group, and its stream stops. */
export async function deleteChannelRow(db: Db, id: string, now: Date): Promise<string[]> {
  await db
    .updateTable('notification_channels')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('event_stream_cursors').where('channel_id', '=', id).execute();
  const removed = await db
    .deleteFrom('group_notification_channels')
    .where('channel_id', '=', id)
    .returning('group_id')
    .execute();
  return removed.map((r) => r.group_id);
}

export async function groupChannelIds(db: Db, groupId: string): Promise<string[]> {
  return (await groupChannelRows(db, groupId)).map((r) => r.id);
}

/** The live channels a group picked, whole, in id order. */
export async function groupChannelRows(db: Db, groupId: string): Promise<ChannelRow[]> {
  return db
    .selectFrom('group_notification_channels as gc')
    .innerJoin('notification_channels as c', 'c.id', 'gc.channel_id')
    .selectAll('c')
    .where('gc.group_id', '=', groupId)
    .where('c.deleted_at', 'is', null)
    .orderBy('c.id')
    .execute();
}

export async function setGroupChannels(db: Db, groupId: string, channelIds: string[]): Promise<void> {
  await db.deleteFrom('group_notification_channels').where('group_id', '=', groupId).execute();
  if (channelIds.length === 0) return;
  await db
    .insertInto('group_notification_channels')
    .values(channelIds.map((channel_id) => ({ group_id: groupId, channel_id })))
    .execute();
}

export async function existingChannelIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('notification_channels')
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Enabled e-mail channels, oldest first: a person's notice goes out through the first that carries its kind. */
export async function emailChannelRows(db: Db): Promise<ChannelRow[]> {
  return db
    .selectFrom('notification_channels')
    .selectAll()
    .where('type', '=', 'email')
    .where('enabled', '=', true)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Queues one notice per channel, in the caller's transaction, like enqueueNotifications does per person. */
export async function enqueueChannelNotices(
  db: Db,
  kind: string,
  channelIds: string[],
  payload: Record<string, unknown>,
  now: Date,
): Promise<number> {
  if (channelIds.length === 0) return 0;
  const json = JSON.stringify(payload);
  await db
    .insertInto('outbox')
    .values(
      channelIds.map((channelId) => ({
        id: newId('ntf'),
        kind,
        channel_id: channelId,
        payload: json,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
  return channelIds.length;
}
