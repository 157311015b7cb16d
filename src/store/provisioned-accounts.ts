import { sql, type Kysely, type Transaction } from 'kysely';
import type { ProvisionedState, ProvisioningStatus } from '../domain/connections/provisioning-plan.js';
import type { ProvisionedAccountRow } from './schema-connections.js';
import type { Database } from './schema.js';

// What Latch wants and has put in each target, per (item, user). A row with `next_attempt_at` set has work: it
// is an operation in the outbox, leased by one replica at a time and retried with backoff.

type Db = Kysely<Database> | Transaction<Database>;

export const toState = (r: ProvisionedAccountRow): ProvisionedState => ({
  userId: r.user_id,
  wanted: r.wanted,
  account: r.account,
  appliedAccount: r.applied_account,
});

export async function accountsOfItem(db: Db, itemId: string, lock = false): Promise<ProvisionedAccountRow[]> {
  let q = db.selectFrom('provisioned_accounts').selectAll().where('item_id', '=', itemId).orderBy('user_id');
  if (lock) q = q.forUpdate();
  return q.execute();
}

/** The rows of these (item, user) pairs. */
export async function accountsOfPairs(db: Db, pairs: readonly (readonly [string, string])[]) {
  if (pairs.length === 0) return [];
  return db
    .selectFrom('provisioned_accounts')
    .selectAll()
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('item_id', 'user_id'),
        'in',
        pairs.map(([i, u]) => tuple(i, u)),
      ),
    )
    .execute();
}

export interface WishRow {
  itemId: string;
  userId: string;
  connectionId: string;
  remoteId: string;
  wanted: boolean;
  account: string | null;
  appliedAccount: string | null;
  status: ProvisioningStatus;
  detail: string | null;
  /** Whether there is work: the row enters the outbox, due now. */
  due: boolean;
}

/** Writes changed wishes; a changed wish raises the row's version and clears its retry count. */
export async function writeWishes(db: Db, rows: readonly WishRow[], now: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insertInto('provisioned_accounts')
      .values(
        chunk.map((r) => ({
          item_id: r.itemId,
          user_id: r.userId,
          connection_id: r.connectionId,
          remote_id: r.remoteId,
          wanted: r.wanted,
          account: r.account,
          applied_account: r.appliedAccount,
          status: r.status,
          detail: r.detail,
          status_at: now,
          next_attempt_at: r.due ? now : null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['item_id', 'user_id']).doUpdateSet((eb) => ({
          connection_id: eb.ref('excluded.connection_id'),
          remote_id: eb.ref('excluded.remote_id'),
          wanted: eb.ref('excluded.wanted'),
          account: eb.ref('excluded.account'),
          status: eb.ref('excluded.status'),
          detail: eb.ref('excluded.detail'),
          status_at: eb.ref('excluded.status_at'),
          next_attempt_at: eb.ref('excluded.next_attempt_at'),
          version: sql<number>`provisioned_accounts.version + 1`,
          attempts: 0,
        })),
      )
      .execute();
  }
}

/** Leases due operations (oldest first) to `owner`; an expired lease is taken over. */
export async function leaseDueAccounts(
  db: Db,
  owner: string,
  now: Date,
  until: Date,
  limit: number,
  busyConnections: readonly string[] = [],
) {
  return db
    .updateTable('provisioned_accounts')
    .set({ lease_owner: owner, lease_until: until })
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('item_id', 'user_id'),
        'in',
        selectFrom('provisioned_accounts')
          .select(['item_id', 'user_id'])
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          .$if(busyConnections.length > 0, (q) => q.where('connection_id', 'not in', busyConnections))
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .$asTuple('item_id', 'user_id'),
      ),
    )
    .returningAll()
    .execute();
}

/** The earliest due operation, of a connection not in `busy`. */
export async function nextAttemptAt(db: Db, busy: readonly string[] = []): Promise<Date | null> {
  const r = await db
    .selectFrom('provisioned_accounts')
    .select((e) => e.fn.min('next_attempt_at').as('at'))
    .where('next_attempt_at', 'is not', null)
    .$if(busy.length > 0, (q) => q.where('connection_id', 'not in', busy))
    .executeTakeFirst();
  return r?.at ? new Date(r.at as unknown as string) : null;
}

export async function recordAttempt(
  db: Db,
  itemId: string,
  userId: string,
  f: {
    appliedAccount: string | null;
    status: ProvisioningStatus;
    detail: string | null;
    attempts: number;
    nextAttemptAt: Date | null;
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('provisioned_accounts')
    .set({
      applied_account: f.appliedAccount,
      status: f.status,
      detail: f.detail,
      status_at: now,
      attempts: f.attempts,
      next_attempt_at: f.nextAttemptAt,
      lease_owner: null,
      lease_until: null,
    })
    .where('item_id', '=', itemId)
    .where('user_id', '=', userId)
    .execute();
}

/** Forgets an item's rows that want nothing and hold nothing in the target any more. */
export async function deleteSettledOfItem(db: Db, itemId: string, userId?: string): Promise<void> {
  let q = db.deleteFrom('provisioned_accounts').where('item_id', '=', itemId);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  await q
    .where('wanted', '=', false)
    .where('applied_account', 'is', null)
    .where('next_attempt_at', 'is', null)
    .execute();
}

export async function setApplied(
  db: Db,
  itemId: string,
  userId: string,
  appliedAccount: string | null,
  due: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('provisioned_accounts')
    .set({
      applied_account: appliedAccount,
      ...(due ? { next_attempt_at: now, status: 'pending', status_at: now, attempts: 0 } : {}),
    })
    .where('item_id', '=', itemId)
    .where('user_id', '=', userId)
    .execute();
}

/**
 * At each sync, what is stalled is tried again: operations that failed for good (the target may have been
 * fixed) and wanted users without an account there (it may have been created since).
 */
export async function retryStalled(db: Db, itemId: string, now: Date): Promise<void> {
  await db
    .updateTable('provisioned_accounts')
    .set({ next_attempt_at: now, attempts: 0 })
    .where('item_id', '=', itemId)
    .where('next_attempt_at', 'is', null)
    .where((w) =>
      w.or([
        w('status', '=', 'failed'),
        w.and([w('status', '=', 'no_account'), w('account', 'is not', null)]),
      ]),
    )
    .execute();
}

/** How many accounts Latch still has in a connection's targets, or still means to change there. */
export async function accountsStillHeld(db: Db, connectionId: string): Promise<number> {
  const r = await db
    .selectFrom('provisioned_accounts')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('connection_id', '=', connectionId)
    .where((w) => w.or([w('applied_account', 'is not', null), w('next_attempt_at', 'is not', null)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The rows of these (item, user) pairs that `owner` still holds the lease of, locked. */
export async function lockLeasedMany(db: Db, pairs: readonly (readonly [string, string])[], owner: string) {
  if (pairs.length === 0) return [];
  return db
    .selectFrom('provisioned_accounts')
    .selectAll()
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('item_id', 'user_id'),
        'in',
        pairs.map(([i, u]) => tuple(i, u)),
      ),
    )
    .where('lease_owner', '=', owner)
    .orderBy('item_id')
    .orderBy('user_id')
    .forUpdate()
    .execute();
}

export interface AttemptRecord {
  itemId: string;
  userId: string;
  appliedAccount: string | null;
  status: ProvisioningStatus;
  detail: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
}

/** Records many attempts in one statement per 500, each row's lease ended. */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[], now: Date): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const values = records
      .slice(i, i + 500)
      .map(
        (r) =>
          sql`(${r.itemId}::text, ${r.userId}::text, ${r.appliedAccount}::text, ${r.status}::text, ${r.detail}::text, ${r.attempts}::int, ${r.nextAttemptAt}::timestamptz)`,
      );
    await sql`
      update provisioned_accounts p
         set applied_account = v.applied_account, status = v.status, detail = v.detail, status_at = ${now},
             attempts = v.attempts, next_attempt_at = v.next_attempt_at, lease_owner = null, lease_until = null
        from (values ${sql.join(values)}) as v(item_id, user_id, applied_account, status, detail, attempts,
             next_attempt_at)
       where p.item_id = v.item_id and p.user_id = v.user_id`.execute(db);
  }
}

/** Forgets, among these pairs, the rows that want nothing and hold nothing in the target any more. */
export async function deleteSettledPairs(
  db: Db,
  pairs: readonly (readonly [string, string])[],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 500) {
    const chunk = pairs.slice(i, i + 500);
    await db
      .deleteFrom('provisioned_accounts')
      .where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('item_id', 'user_id'),
          'in',
          chunk.map(([it, u]) => tuple(it, u)),
        ),
      )
      .where('wanted', '=', false)
      .where('applied_account', 'is', null)
      .where('next_attempt_at', 'is', null)
      .execute();
  }
}
