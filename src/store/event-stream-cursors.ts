import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StreamCursorRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Where each audit stream stands: the last seq its endpoint acknowledged. A process leases a cursor before
// streaming (one statement, SKIP LOCKED), so two processes never stream one channel at once, and advances it
// after each acknowledged event, so a restart resumes exactly after the last event delivered.

export async function startCursor(db: Db, channelId: string, afterSeq: number, now: Date): Promise<void> {
  await db
    .insertInto('event_stream_cursors')
    .values({
      channel_id: channelId,
      last_seq: afterSeq,
      last_checkpoint_seq: afterSeq,
      next_attempt_at: now,
    })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .execute();
}

export async function stopCursor(db: Db, channelId: string): Promise<void> {
  await db.deleteFrom('event_stream_cursors').where('channel_id', '=', channelId).execute();
}

export async function findCursor(db: Db, channelId: string): Promise<StreamCursorRow | undefined> {
  return db
    .selectFrom('event_stream_cursors')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
}

/** Leases every due cursor of an enabled channel that no live lease holds. */
export async function leaseDueCursors(
  db: Db,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<StreamCursorRow[]> {
  return db
    .updateTable('event_stream_cursors')
    .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs) })
    .where('channel_id', 'in', (eb) =>
      eb
        .selectFrom('event_stream_cursors as c')
        .innerJoin('notification_channels as n', 'n.id', 'c.channel_id')
        .select('c.channel_id')
        .where('n.enabled', '=', true)
        .where('n.deleted_at', 'is', null)
        .where('c.next_attempt_at', '<=', now)
        .where((w) => w.or([w('c.lease_until', 'is', null), w('c.lease_until', '<=', now)]))
        .forUpdate('c')
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/** Moves the cursor past an acknowledged event and renews the lease; false when the lease was lost. */
export const advanceCursor = (
  db: Db,
  channelId: string,
  owner: string,
  seq: number,
  now: Date,
  leaseMs: number,
) => advance(db, 'last_seq', { channelId, owner, seq, now, leaseMs });

/** Moves the checkpoint cursor past an acknowledged checkpoint, as advanceCursor does for events. */
export const advanceCheckpointCursor = (
  db: Db,
  channelId: string,
  owner: string,
  seq: number,
  now: Date,
  leaseMs: number,
) => advance(db, 'last_checkpoint_seq', { channelId, owner, seq, now, leaseMs });

async function advance(
  db: Db,
  column: 'last_seq' | 'last_checkpoint_seq',
  a: { channelId: string; owner: string; seq: number; now: Date; leaseMs: number },
): Promise<boolean> {
  const r = await db
    .updateTable('event_stream_cursors')
    .set({
      [column]: a.seq,
      attempts: 0,
      last_error: null,
      last_delivered_at: a.now,
      lease_until: new Date(a.now.getTime() + a.leaseMs),
    })
    .where('channel_id', '=', a.channelId)
    .where('lease_owner', '=', a.owner)
    .where(column, '<', a.seq)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives the lease back; after a failure, with the error and when to try again. */
export async function releaseCursor(
  db: Db,
  channelId: string,
  owner: string,
  failure?: { error: string; nextAttemptAt: Date },
): Promise<void> {
  await db
    .updateTable('event_stream_cursors')
    .set({
      lease_owner: null,
      lease_until: null,
      ...(failure
        ? { attempts: sql`attempts + 1`, last_error: failure.error, next_attempt_at: failure.nextAttemptAt }
        : {}),
    })
    .where('channel_id', '=', channelId)
    .where('lease_owner', '=', owner)
    .execute();
}

/** The earliest retry of a failing stream; streams that are caught up wait for new events instead. */
export async function nextStreamRetryAt(db: Db, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('event_stream_cursors')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('next_attempt_at', '>', now)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

export async function anyStreams(db: Db): Promise<boolean> {
  return (
    (await db.selectFrom('event_stream_cursors').select('channel_id').limit(1).executeTakeFirst()) !==
    undefined
  );
}
