import { sql, type Transaction } from 'kysely';
import { SECRET_FIELDS } from '../domain/notification-channels.js';
import type { Database } from './schema.js';

// Every stored secret, across the tables that hold one, for sealing what is still in clear and for re-sealing
// under a new key. Deleted rows too: their secrets are still in the database. Rows are locked, so a concurrent
// start-up or rotation waits and then sees the rows as this one left them.

type Trx = Transaction<Database>;

/** The tables holding sealed secrets and their sealed column: a sealed value is bound to table, row and column. */
export const SEALED_COLUMNS = {
  notification_channels: 'sealed_secrets',
  on_call_schedules: 'sealed_secret',
  connections: 'sealed_secrets',
} as const;
export type SealedTable = keyof typeof SEALED_COLUMNS;

const CHANNEL_SECRET_FIELDS = [...new Set(Object.values(SECRET_FIELDS).flat())];

/** Channels whose stored config still holds a secret field in clear. */
export async function channelsWithClearSecrets(trx: Trx) {
  return trx
    .selectFrom('notification_channels')
    .select(['id', 'type', 'config', 'sealed_secrets'])
    .where(sql<boolean>`config ?| ${sql.val(CHANNEL_SECRET_FIELDS)}::text[]`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function setChannelSecrets(
  trx: Trx,
  id: string,
  config: Record<string, unknown>,
  sealed: string | null,
): Promise<void> {
  await trx
    .updateTable('notification_channels')
    .set({ config: JSON.stringify(config), sealed_secrets: sealed })
    .where('id', '=', id)
    .execute();
}

/**
 * Rewrites the delivery errors recorded for a channel (its notices' and its audit stream's) through `redact`:
 * written while its secrets were in clear, they may quote them.
 */
export async function redactChannelErrors(
  trx: Trx,
  channelId: string,
  redact: (error: string) => string,
): Promise<void> {
  const notices = await trx
    .selectFrom('outbox')
    .select(['id', 'last_error'])
    .where('channel_id', '=', channelId)
    .where('last_error', 'is not', null)
    .execute();
  for (const n of notices) {
    const error = redact(n.last_error!);
    if (error !== n.last_error)
      await trx.updateTable('outbox').set({ last_error: error }).where('id', '=', n.id).execute();
  }
  const cursor = await trx
    .selectFrom('event_stream_cursors')
    .select('last_error')
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (cursor?.last_error && redact(cursor.last_error) !== cursor.last_error)
    await trx
      .updateTable('event_stream_cursors')
      .set({ last_error: redact(cursor.last_error) })
      .where('channel_id', '=', channelId)
      .execute();
}

/** Schedules whose credential is still in the clear `secret` column. */
export async function schedulesWithClearSecrets(trx: Trx) {
  return trx
    .selectFrom('on_call_schedules')
    .select(['id', 'secret'])
    .where('secret', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function setScheduleSecret(trx: Trx, id: string, sealed: string): Promise<void> {
  await trx
    .updateTable('on_call_schedules')
    .set({ secret: null, sealed_secret: sealed })
    .where('id', '=', id)
    .execute();
}

export interface SealedValue {
  table: SealedTable;
  id: string;
  sealed: string;
}

/** Every sealed value, locked for the caller's transaction. */
export async function lockSealedValues(trx: Trx): Promise<SealedValue[]> {
  const channels = await trx
    .selectFrom('notification_channels')
    .select(['id', 'sealed_secrets as sealed'])
    .where('sealed_secrets', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  const schedules = await trx
    .selectFrom('on_call_schedules')
    .select(['id', 'sealed_secret as sealed'])
    .where('sealed_secret', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  const connections = await trx
    .selectFrom('connections')
    .select(['id', 'sealed_secrets as sealed'])
    .orderBy('id')
    .forUpdate()
    .execute();
  return [
    ...channels.map((r) => ({ table: 'notification_channels' as const, id: r.id, sealed: r.sealed! })),
    ...schedules.map((r) => ({ table: 'on_call_schedules' as const, id: r.id, sealed: r.sealed! })),
    ...connections.map((r) => ({ table: 'connections' as const, id: r.id, sealed: r.sealed })),
  ];
}

export async function replaceSealedValue(trx: Trx, v: SealedValue): Promise<void> {
  if (v.table === 'notification_channels')
    await trx
      .updateTable('notification_channels')
      .set({ sealed_secrets: v.sealed })
      .where('id', '=', v.id)
      .execute();
  else if (v.table === 'connections')
    await trx.updateTable('connections').set({ sealed_secrets: v.sealed }).where('id', '=', v.id).execute();
  else
    await trx
      .updateTable('on_call_schedules')
      .set({ sealed_secret: v.sealed })
      .where('id', '=', v.id)
      .execute();
}
