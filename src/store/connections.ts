import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccountRule } from '../domain/connections/account-rule.js';
import type {
  Connection,
  ConnectionKind,
  ConnectionMode,
  ConnectionStatus,
} from '../domain/connections/connection.js';
import { newId } from './ids.js';
import { pickedBy, rowId } from './picked-rows.js';
import type { ConnectionRow } from './schema-connections.js';
import type { Database } from './schema.js';

// Connections to real systems: their settings (secrets sealed apart), status, and the sync schedule that
// replicas lease so that one of them reconciles a connection at a time.

type Db = Kysely<Database> | Transaction<Database>;

export const newConnectionId = () => newId('con');

export const toConnection = (r: ConnectionRow): Connection => ({
  id: r.id,
  name: r.name,
  kind: r.kind as ConnectionKind,
  config: r.config,
  mode: r.mode as ConnectionMode,
  syncMinutes: r.sync_minutes,
  accountRule: r.account_rule as AccountRule,
  status: r.status as ConnectionStatus,
  lastSyncAt: r.last_sync_at?.toISOString() ?? null,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
});

export interface ConnectionFields {
  name: string;
  kind: ConnectionKind;
  config: Record<string, unknown>;
  sealedSecrets: string;
  mode: ConnectionMode;
  syncMinutes: number;
  accountRule: AccountRule;
}

export async function insertConnection(
  db: Db,
  id: string,
  f: ConnectionFields,
  now: Date,
): Promise<ConnectionRow> {
  return db
    .insertInto('connections')
    .values({
      id,
      name: f.name,
      kind: f.kind,
      config: JSON.stringify(f.config),
      sealed_secrets: f.sealedSecrets,
      mode: f.mode,
      sync_minutes: f.syncMinutes,
      account_rule: JSON.stringify(f.accountRule),
      next_sync_at: now,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findConnectionRow(
  db: Db,
  id: string,
  lock = false,
): Promise<ConnectionRow | undefined> {
  let q = db.selectFrom('connections').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listConnectionRows(db: Db): Promise<ConnectionRow[]> {
  return db.selectFrom('connections').selectAll().orderBy('name').orderBy('id').execute();
}

export async function connectionNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('connections')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function updateConnectionRow(
  db: Db,
  id: string,
  f: Partial<ConnectionFields>,
  now: Date,
): Promise<ConnectionRow> {
  return db
    .updateTable('connections')
    .set({
      ...(f.name !== undefined ? { name: f.name } : {}),
      ...(f.config !== undefined ? { config: JSON.stringify(f.config) } : {}),
      ...(f.sealedSecrets !== undefined ? { sealed_secrets: f.sealedSecrets } : {}),
      ...(f.mode !== undefined ? { mode: f.mode } : {}),
      ...(f.syncMinutes !== undefined ? { sync_minutes: f.syncMinutes } : {}),
      ...(f.accountRule !== undefined ? { account_rule: JSON.stringify(f.accountRule) } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteConnectionRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('connections').where('id', '=', id).execute();
}

export async function recordConnectionStatus(
  db: Db,
  id: string,
  status: { ok: boolean; error: string | null; syncedAt?: Date },
): Promise<void> {
  await db
    .updateTable('connections')
    .set({
      status: status.ok ? 'ok' : 'error',
      last_error: status.error,
      ...(status.syncedAt ? { last_sync_at: status.syncedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Asks for a sync now (POST …/sync, a new link): the next lease takes it at once. */
export async function syncSoon(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('connections').set({ next_sync_at: now }).where('id', '=', id).execute();
}

/**
 * Leases the connections whose sync is due to `owner` until `until`; a lease that ran out (its holder died) is
 * taken over. Returns the leased rows.
 */
export async function leaseDueSyncs(db: Db, owner: string, now: Date, until: Date, limit: number) {
  return db
    .updateTable('connections')
    .set({ sync_lease_owner: owner, sync_lease_until: until })
    .where(
      pickedBy(
        db
          .selectFrom('connections')
          .select(rowId)
          .where('next_sync_at', '<=', now)
          .where((w) => w.or([w('sync_lease_until', 'is', null), w('sync_lease_until', '<', now)]))
          .orderBy('next_sync_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      ),
    )
    .returningAll()
    .execute();
}

/** Ends a sync lease and schedules the next sync. */
export async function finishSync(db: Db, id: string, owner: string, next: Date): Promise<void> {
  await db
    .updateTable('connections')
    .set({ sync_lease_owner: null, sync_lease_until: null, next_sync_at: next })
    .where('id', '=', id)
    .where('sync_lease_owner', '=', owner)
    .execute();
}

export async function nextSyncAt(db: Db): Promise<Date | null> {
  const r = await db
    .selectFrom('connections')
    .select((e) => e.fn.min('next_sync_at').as('at'))
    .executeTakeFirst();
  return r?.at ? new Date(r.at as unknown as string) : null;
}

export async function accountOverrides(db: Db, connectionId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('connection_accounts')
    .select(['user_id', 'remote_account'])
    .where('connection_id', '=', connectionId)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.remote_account]));
}

export async function findAccountOverride(db: Db, connectionId: string, userId: string) {
  return db
    .selectFrom('connection_accounts')
    .select('remote_account')
    .where('connection_id', '=', connectionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function setAccountOverride(
  db: Db,
  connectionId: string,
  userId: string,
  remoteAccount: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('connection_accounts')
    .values({ connection_id: connectionId, user_id: userId, remote_account: remoteAccount, updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'user_id'])
        .doUpdateSet({ remote_account: remoteAccount, updated_at: now }),
    )
    .execute();
}

export async function anyConnections(db: Db): Promise<boolean> {
  return (await db.selectFrom('connections').select('id').limit(1).executeTakeFirst()) !== undefined;
}
