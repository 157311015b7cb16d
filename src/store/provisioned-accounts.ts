import { sql, type Kysely, type Transaction } from 'kysely';
import type { ProvisionedState, ProvisioningStatus } from '../domain/connections/provisioning-plan.js';
import { pickedBy, rowId } from './picked-rows.js';
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

/** The rows of an item's users among `userIds`, locked (in key order, as everywhere they are locked). */
export async function lockAccountsOfUsers(
  db: Db,
  itemId: string,
  userIds: readonly string[],
): Promise<ProvisionedAccountRow[]> {
  if (userIds.length === 0) return [];
  const { rows } = await sql<ProvisionedAccountRow>`
    select * from provisioned_accounts
     where item_id = ${itemId} and user_id = any(${[...userIds]}::text[])
     order by user_id
       for update`.execute(db);
  return rows;
}

/** The rows of these (item, user) pairs. */
export async function accountsOfPairs(
  db: Db,
  pairs: readonly (readonly [string, string])[],
): Promise<ProvisionedAccountRow[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<ProvisionedAccountRow>`
    select p.* from ${pairsOf(pairs)}
     cross join lateral (select * from provisioned_accounts p
                          where p.item_id = k.item_id and p.user_id = k.user_id limit 1) p`.execute(db);
  return rows;
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

/**
 * Pairs as a relation `k(item_id, user_id)`: two array parameters, however many pairs, where a list of tuples
 * would take two parameters per pair and a statement per few hundred.
 */
const pairsOf = (pairs: readonly (readonly [string, string])[]) =>
  sql`unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as k(item_id, user_id)`;

const stamps = (ds: readonly (Date | null)[]) => ds.map((d) => d?.toISOString() ?? null);

/** Writes changed wishes in one statement; a changed wish raises the row's version and clears its retry count. */
export async function writeWishes(db: Db, rows: readonly WishRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof WishRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into provisioned_accounts (item_id, user_id, connection_id, remote_id, wanted, account,
                                      applied_account, status, detail, status_at, next_attempt_at)
    select w.item_id, w.user_id, w.connection_id, w.remote_id, w.wanted, w.account, w.applied_account, w.status,
           w.detail, ${now}::timestamptz, case when w.due then ${now}::timestamptz end
      from unnest(${col('itemId')}::text[], ${col('userId')}::text[], ${col('connectionId')}::text[],
                  ${col('remoteId')}::text[], ${col('wanted')}::boolean[], ${col('account')}::text[],
                  ${col('appliedAccount')}::text[], ${col('status')}::text[], ${col('detail')}::text[],
                  ${col('due')}::boolean[])
        as w(item_id, user_id, connection_id, remote_id, wanted, account, applied_account, status, detail, due)
    on conflict (item_id, user_id) do update
       set connection_id = excluded.connection_id, remote_id = excluded.remote_id, wanted = excluded.wanted,
           account = excluded.account, status = excluded.status, detail = excluded.detail,
           status_at = excluded.status_at, next_attempt_at = excluded.next_attempt_at,
           version = provisioned_accounts.version + 1, attempts = 0`.execute(db);
}

/** Which connections' operations to lease: none of those busy elsewhere, or only one connection's. */
export type LeaseScope = { busy: readonly string[] } | { only: string };

/** Leases due operations (oldest first) to `owner`; an expired lease is taken over. */
export async function leaseDueAccounts(
  db: Db,
  owner: string,
  now: Date,
  until: Date,
  limit: number,
  scope: LeaseScope = { busy: [] },
) {
  const busyConnections = 'busy' in scope ? scope.busy : [];
  const due = db
    .selectFrom('provisioned_accounts')
    .select(rowId)
    .where('next_attempt_at', '<=', now)
    .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
    .$if(busyConnections.length > 0, (q) => q.where('connection_id', 'not in', busyConnections))
    .$if('only' in scope, (q) => q.where('connection_id', '=', 'only' in scope ? scope.only : ''))
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('provisioned_accounts')
    .set({ lease_owner: owner, lease_until: until })
    .where(pickedBy(due))
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

/** Gives back leases `owner` took but will not use (a worker stopping), so another may apply them at once. */
export async function releaseLeases(
  db: Db,
  pairs: readonly (readonly [string, string])[],
  owner: string,
): Promise<void> {
  if (pairs.length === 0) return;
  await sql`
    update provisioned_accounts p set lease_owner = null, lease_until = null
      from ${pairsOf(pairs)}
     where p.item_id = k.item_id and p.user_id = k.user_id and p.lease_owner = ${owner}`.execute(db);
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

/** The rows of these (item, user) pairs that `owner` still holds the lease of, locked (by key, as above). */
export async function lockLeasedMany(
  db: Db,
  pairs: readonly (readonly [string, string])[],
  owner: string,
): Promise<ProvisionedAccountRow[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<ProvisionedAccountRow>`
    select p.* from ${pairsOf([...pairs].sort(byPair))}
     cross join lateral (select * from provisioned_accounts p
                          where p.item_id = k.item_id and p.user_id = k.user_id and p.lease_owner = ${owner}
                          limit 1 for update) p`.execute(db);
  return rows;
}

const byPair = (a: readonly [string, string], b: readonly [string, string]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

export interface AttemptRecord {
  itemId: string;
  userId: string;
  appliedAccount: string | null;
  status: ProvisioningStatus;
  detail: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
}

/** Records many attempts in one statement, each row's lease ended (rows found by key, as below). */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[], now: Date): Promise<void> {
  if (records.length === 0) return;
  const col = <K extends keyof AttemptRecord>(k: K) => records.map((r) => r[k]);
  await sql`
    update provisioned_accounts p
       set applied_account = v.applied_account, status = v.status, detail = v.detail, status_at = ${now},
           attempts = v.attempts, next_attempt_at = v.next_attempt_at, lease_owner = null, lease_until = null
      from (select v.*, t.ctid as row_id
              from unnest(${col('itemId')}::text[], ${col('userId')}::text[], ${col('appliedAccount')}::text[],
                          ${col('status')}::text[], ${col('detail')}::text[], ${col('attempts')}::int[],
                          ${stamps(col('nextAttemptAt'))}::timestamptz[])
                as v(item_id, user_id, applied_account, status, detail, attempts, next_attempt_at)
             cross join lateral (select ctid from provisioned_accounts t
                                  where t.item_id = v.item_id and t.user_id = v.user_id limit 1) t) v
     where p.ctid = v.row_id`.execute(db);
}

/** Forgets, among these pairs, the rows that want nothing and hold nothing in the target any more. */
export async function deleteSettledPairs(
  db: Db,
  pairs: readonly (readonly [string, string])[],
): Promise<void> {
  if (pairs.length === 0) return;
  // Each pair is looked up by the primary key (`limit 1` keeps the lookup from being flattened into a join): joined
  // plainly, a planner misled by stale statistics (the table churns faster than autovacuum analyzes it) compared
  // every pair with every row, a million comparisons per thousand pairs.
  await sql`
    delete from provisioned_accounts
     where ctid = any(array(
       select p.ctid from ${pairsOf(pairs)}
        cross join lateral (select ctid from provisioned_accounts p
                             where p.item_id = k.item_id and p.user_id = k.user_id
                               and not p.wanted and p.applied_account is null and p.next_attempt_at is null
                             limit 1) p))`.execute(db);
}
