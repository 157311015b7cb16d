import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Store } from '../../src/store/connection.js';
import { leaseDueSyncs } from '../../src/store/connections.js';
import { pruneIdempotencyKeys } from '../../src/store/idempotency-keys.js';
import { claimDueNotices } from '../../src/store/outbox-delivery.js';
import { pruneEndedSessions, pruneFinishedNotices } from '../../src/store/retention.js';
import type { Database } from '../../src/store/schema.js';
import { cloneTestStore } from '../support/test-store.js';

// Statements that claim, lease or prune a bounded batch change no more rows than asked. On a table whose
// statistics were stale (here: fresh rows), PostgreSQL planned the claim of notices as a join that ran the
// batch's sub-select again for every row changed: a claim of 8 notices took 1,000 and delivered them all at once.

const N = 12;
const LIMIT = 5;
let store: Store;
let db: Kysely<Database>;
const now = new Date();
const past = (i: number) => new Date(now.getTime() - 60_000 - i * 1000);

beforeAll(async () => {
  store = await cloneTestStore();
  db = store.db;
  await db
    .insertInto('users')
    .values({
      id: 'usr_batch',
      email: 'batch@example.com',
      email_normalized: 'batch@example.com',
      user_name: 'batch@example.com',
      name: 'Batch',
      role: 'member',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('api_tokens')
    .values({ id: 'tok_batch', user_id: 'usr_batch', name: 'session', token_hash: 'h', created_at: now })
    .execute();
});
afterAll(() => store.close());

beforeEach(async () => {
  await db.deleteFrom('outbox').execute();
  await db.deleteFrom('sessions').execute();
  await db.deleteFrom('idempotency_keys').execute();
  await db.deleteFrom('connections').execute();
});

const notices = (status: string) =>
  db
    .insertInto('outbox')
    .values(
      Array.from({ length: N }, (_, i) => ({
        id: `ntf_batch${i}`,
        kind: 'grant.expired',
        recipient_user_id: 'usr_batch',
        payload: '{}',
        status,
        next_attempt_at: past(i),
        created_at: past(i),
      })),
    )
    .execute();

const count = async (table: 'outbox' | 'sessions' | 'idempotency_keys') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a bounded batch takes no more rows than asked', () => {
  it('claiming due notices', async () => {
    await notices('pending');
    const first = await claimDueNotices(db, now, LIMIT, 60_000);
    expect(first).toHaveLength(LIMIT);
    const second = await claimDueNotices(db, now, LIMIT, 60_000);
    expect(second).toHaveLength(LIMIT);
    expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(2 * LIMIT);
    // The oldest due first.
    expect(first.map((r) => r.id).sort()).toEqual(
      Array.from({ length: LIMIT }, (_, i) => `ntf_batch${N - 1 - i}`).sort(),
    );
    expect(await claimDueNotices(db, now, LIMIT, 60_000)).toHaveLength(N - 2 * LIMIT);
  });

  it('pruning finished notices', async () => {
    await notices('sent');
    expect(await pruneFinishedNotices(db, now, LIMIT)).toBe(LIMIT);
    expect(await count('outbox')).toBe(N - LIMIT);
  });

  it('pruning ended sessions', async () => {
    await db
      .insertInto('sessions')
      .values(
        Array.from({ length: N }, (_, i) => ({
          id: `ses_batch${i}`,
          secret_hash: `h${i}`,
          csrf_token: 'c',
          user_id: 'usr_batch',
          token_id: 'tok_batch',
          created_at: past(i + 100),
          expires_at: past(i),
          last_seen_at: past(i),
        })),
      )
      .execute();
    expect(await pruneEndedSessions(db, now, LIMIT)).toBe(LIMIT);
    expect(await count('sessions')).toBe(N - LIMIT);
  });

  it('pruning idempotency keys', async () => {
    await db
      .insertInto('idempotency_keys')
      .values(
        Array.from({ length: N }, (_, i) => ({
          actor_id: 'usr_batch',
          key: `k${i}`,
          fingerprint: 'f',
          result_sealed: null,
          created_at: past(i),
        })),
      )
      .execute();
    expect(await pruneIdempotencyKeys(db, now, LIMIT)).toBe(LIMIT);
    expect(await count('idempotency_keys')).toBe(N - LIMIT);
  });

  it('leasing due connection syncs', async () => {
    await db
      .insertInto('connections')
      .values(
        Array.from({ length: N }, (_, i) => ({
          id: `con_batch${i}`,
          name: `batch ${i}`,
          kind: 'postgres',
          config: '{}',
          sealed_secrets: 'sealed',
          mode: 'report',
          sync_minutes: 60,
          account_rule: JSON.stringify({ type: 'email' }),
          next_sync_at: past(i),
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const until = new Date(now.getTime() + 60_000);
    const leased = await leaseDueSyncs(db, 'proc_a', now, until, LIMIT);
    expect(leased).toHaveLength(LIMIT);
    const more = await leaseDueSyncs(db, 'proc_b', now, until, LIMIT);
    expect(more).toHaveLength(LIMIT);
    expect(new Set([...leased, ...more].map((r) => r.id)).size).toBe(2 * LIMIT);
  });
});
