import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

// Open drift: members of a linked remote item that Latch does not explain. A member reverted, or gone from the
// target, is no longer open drift; its event keeps the record.

type Db = Kysely<Database> | Transaction<Database>;

export interface DriftRow {
  remoteId: string;
  remoteAccount: string;
  userId: string | null;
  detectedAt: Date;
}

export async function openDrift(db: Db, connectionId: string, remoteId?: string): Promise<DriftRow[]> {
  let q = db
    .selectFrom('provisioning_drift')
    .select(['remote_id', 'remote_account', 'user_id', 'detected_at'])
    .where('connection_id', '=', connectionId);
  if (remoteId !== undefined) q = q.where('remote_id', '=', remoteId);
  const rows = await q.orderBy('remote_id').orderBy('remote_account').execute();
  return rows.map((r) => ({
    remoteId: r.remote_id,
    remoteAccount: r.remote_account,
    userId: r.user_id,
    detectedAt: r.detected_at,
  }));
}

export async function insertDrift(db: Db, connectionId: string, rows: readonly DriftRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('provisioning_drift')
    .values(
      rows.map((r) => ({
        connection_id: connectionId,
        remote_id: r.remoteId,
        remote_account: r.remoteAccount,
        user_id: r.userId,
        detected_at: r.detectedAt,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Closes drift on a remote item: these accounts', or all of it. */
export async function closeDrift(
  db: Db,
  connectionId: string,
  remoteId: string,
  accounts?: readonly string[],
) {
  if (accounts?.length === 0) return;
  let q = db
    .deleteFrom('provisioning_drift')
    .where('connection_id', '=', connectionId)
    .where('remote_id', '=', remoteId);
  if (accounts) q = q.where('remote_account', 'in', accounts);
  await q.execute();
}

/** Closes the open drift of remote items no longer linked through the connection. */
export async function closeUnlinkedDrift(db: Db, connectionId: string, linkedRemoteIds: readonly string[]) {
  let q = db.deleteFrom('provisioning_drift').where('connection_id', '=', connectionId);
  if (linkedRemoteIds.length > 0) q = q.where('remote_id', 'not in', linkedRemoteIds);
  await q.execute();
}

export async function countOpenDrift(db: Db, connectionId: string): Promise<number> {
  const r = await db
    .selectFrom('provisioning_drift')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
