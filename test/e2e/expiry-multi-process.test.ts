import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/users.js';
import { createLatch, type Latch } from '../../src/main.js';
import { bootstrapAdmin } from '../../src/ops/identity/bootstrap-admin.js';
import { createGroup } from '../../src/ops/items/create-group.js';
import { createUser } from '../../src/ops/identity/create-user.js';
import { grantAccess } from '../../src/ops/grants/grant.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { openPostgres, type Store } from '../../src/store/connection.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { freePort } from '../support/processes.js';
import { withDatabase } from '../support/test-store.js';
import { testKeys } from '../support/harness.js';

// Two Latch instances, each with its own connection pool and its own time engine, on one PostgreSQL: 1,000
// grants expiring within a few seconds are each recorded exactly once, whichever instance gets there first.

const GRANTS = 1000;
let cluster: PgCluster;
let stores: Store[] = [];
let latches: Latch[] = [];
const processedBy = [0, 0];

beforeAll(async () => {
  cluster = startPgCluster(await freePort());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database latch_expiry');
  await admin.end();
  const url = withDatabase(cluster.url, 'latch_expiry');
  stores = [await openPostgres(url, 5), await openPostgres(url, 5)];
  await migrateToLatest(stores[0]!.db);
  const keys = testKeys(); // replicas share their keys, as they must
  await bootstrapAdmin(
    { db: stores[0]!.db, now: () => new Date(), keys },
    'ops@example.test',
    'x'.repeat(40),
  );
  latches = await Promise.all(
    stores.map((store, i) =>
      createLatch(store, {
        keys,
        jobs: true,
        jobOptions: {
          scheduler: {
            onProcessed: (source, items) => {
              if (source === 'grant-expiry') processedBy[i]! += items.length;
            },
          },
        },
      }),
    ),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(latches.map((l) => l.close()));
  await Promise.all(stores.map((s) => s.close()));
  cluster?.stop();
});

describe('expiries with two processes on one PostgreSQL', () => {
  it('records each of 1,000 expiries exactly once', async () => {
    const [a, b] = latches as [Latch, Latch];
    const adminRow = await a.store.db.selectFrom('users').select(['id', 'role']).executeTakeFirstOrThrow();
    const actor: Actor = { id: adminRow.id, role: 'admin' };
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createUser(a.deps, actor, { email: `u${i}@example.test`, name: `U${i}` }),
      ),
    );
    const groups = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createGroup(a.deps, actor, { name: `g${i}` })),
    );

    const make = (from: number, expiresAt: (n: number) => Date) =>
      Promise.all(
        Array.from({ length: 20 }, (_, j) => from + j).map((n) =>
          grantAccess(
            n % 2 ? a.deps : b.deps,
            actor,
            { groupId: groups[n % 10]!.id },
            { userId: users[Math.floor(n / 10) % 10]!.id, expiresAt: expiresAt(n).toISOString() },
          ),
        ),
      );
    // Expiries spread over 3 s, starting once every grant exists (at the pace grants are made on this machine
    // now, with room to spare). Both instances make some.
    const started = Date.now();
    await make(0, () => new Date(Date.now() + 86_400_000));
    const base = Date.now() + (Date.now() - started) * (GRANTS / 20) * 2 + 2000;
    const ids: string[] = [];
    for (let i = 0; i < GRANTS; i += 20)
      ids.push(...(await make(i, (n) => new Date(base + n * 3))).map((g) => g.id));

    const db = a.store.db;
    const expiredEvents = () =>
      db
        .selectFrom('events')
        .select(['id', 'subject_ids', 'created_at'])
        .where('type', '=', 'grant.expired')
        .execute();
    const deadline = Math.max(Date.now(), base + 3000) + 30_000;
    while ((await expiredEvents()).length < GRANTS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    // Give a straggling duplicate the chance to appear.
    await new Promise((r) => setTimeout(r, 1000));

    const events = await expiredEvents();
    expect(events).toHaveLength(GRANTS);
    const grantIds = events.map((e) => e.subject_ids[0]!);
    expect(new Set(grantIds).size).toBe(GRANTS);
    expect(new Set(grantIds)).toEqual(new Set(ids));
    expect(processedBy[0]! + processedBy[1]!).toBe(GRANTS);

    const rows = await db
      .selectFrom('grants')
      .select(['expires_at', 'ended_at', 'end_reason'])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) {
      expect(r.end_reason).toBe('expired');
      expect(r.ended_at).toEqual(r.expires_at);
    }
    const notices = await db.selectFrom('outbox').select('id').where('kind', '=', 'grant.expired').execute();
    expect(notices).toHaveLength(GRANTS);
    expect((await verifyAuditLog(latches[0]!.deps)).ok).toBe(true);
  }, 120_000);
});
