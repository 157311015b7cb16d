import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Actor } from '../src/domain/users.js';
import { createLatch, type Latch } from '../src/main.js';
import { activateBreakGlass } from '../src/ops/break-glass/activate.js';
import { configureBreakGlass } from '../src/ops/break-glass/configure.js';
import { createConnection } from '../src/ops/connections/create-connection.js';
import { requestSync } from '../src/ops/connections/request-sync.js';
import { grantAccess } from '../src/ops/grants/grant.js';
import { bootstrapAdmin } from '../src/ops/identity/bootstrap-admin.js';
import { createGroup } from '../src/ops/items/create-group.js';
import { updateGroup } from '../src/ops/items/update-group.js';
import { openPostgres, type Store } from '../src/store/connection.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { startPgCluster, type PgCluster } from '../test/support/pg-cluster.js';
import { percentile } from './activation-bench.js';

// Access landing in a real PostgreSQL 15 target, with Latch on PostgreSQL and its workers running as in a
// server: break-glass activation until the account is a member of the role; expiry until REVOKE is done and the
// account's open session ended; a linked item of 10,000 members reconciled from scratch, then idle; and a start
// after downtime during which 5,000 grants expired, until all are revoked in the target.

export interface ProvisioningBenchResult {
  activation: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  expiry: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  reconcile: { members: number; fromScratchMs: number; idleMs: number };
  /** Ready: the server started (index loaded, workers running); then the revocations, timed from ready. */
  downtime: { expired: number; readyMs: number; revokeMs: number; perSecond: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'bench-provisioner-pw';

interface Rig {
  latchCluster: PgCluster;
  targetCluster: PgCluster;
  store: Store;
  target: pg.Pool;
  keys: { audit: Buffer; secret: Buffer };
  actor: Actor;
}

async function rig(port: number): Promise<Rig> {
  const latchCluster = startPgCluster(port, mkdtempSync(join(tmpdir(), 'latch-bench-prov-')));
  const targetCluster = startPgCluster(port + 1, mkdtempSync(join(tmpdir(), 'latch-bench-target-')));
  const store = await openPostgres(latchCluster.url, 10);
  await migrateToLatest(store.db);
  const keys = { audit: randomBytes(32), secret: randomBytes(32) };
  await bootstrapAdmin({ db: store.db, now: () => new Date(), keys }, 'bench@example.test', 'b'.repeat(40));
  const admin = await store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
  const target = new pg.Pool({ connectionString: targetCluster.url, max: 4 });
  await target.query(
    `create role latch_provisioner login createrole password '${PASSWORD}';
     grant pg_signal_backend to latch_provisioner;`,
  );
  return { latchCluster, targetCluster, store, target, keys, actor: { id: admin.id, role: 'admin' } };
}

/** `n` Latch users and their login roles in the target, made in bulk: setup, not what is measured. */
async function people(r: Rig, prefix: string, n: number): Promise<{ id: string; account: string }[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `usr_${prefix}${String(i).padStart(8, '0')}`,
    account: `${prefix}${i}`,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await r.store.db
      .insertInto('users')
      .values(
        chunk.map((u) => ({
          id: u.id,
          email: `${u.account}@bench.test`,
          email_normalized: `${u.account}@bench.test`,
          user_name: `${u.account}@bench.test`,
          name: u.account,
          role: 'member',
          status: 'active',
          created_at: new Date(),
          updated_at: new Date(),
        })),
      )
      .execute();
    await r.target.query(
      `do $$ begin ${chunk.map((u) => `create role "${u.account}" login password 'acct';`).join(' ')} end $$`,
    );
  }
  return rows;
}

async function members(r: Rig, role: string): Promise<Set<string>> {
  const { rows } = await r.target.query<{ n: string }>(
    `select m.rolname::text as n from pg_auth_members am join pg_roles g on g.oid = am.roleid
       join pg_roles m on m.oid = am.member where g.rolname = $1`,
    [role],
  );
  return new Set(rows.map((x) => x.n));
}

async function linkedGroup(latch: Latch, r: Rig, connectionId: string, role: string) {
  await r.target.query(`set role latch_provisioner; create role "${role}" nologin; reset role;`);
  const g = await createGroup(latch.deps, r.actor, { name: role });
  await updateGroup(latch.deps, r.actor, g.id, { remote: { connectionId, remoteId: role } });
  return g.id;
}

const start = (r: Rig) => createLatch(r.store, { keys: r.keys, jobs: true, syncPollMs: 1000 });

export async function benchProvisioning(port: number): Promise<ProvisioningBenchResult> {
  const r = await rig(port);
  let latch = await start(r);
  try {
    const connection = await createConnection(latch.deps, r.actor, {
      name: 'bench target',
      kind: 'postgres',
      config: {
        host: '127.0.0.1',
        port: r.targetCluster.port,
        database: 'postgres',
        user: 'latch_provisioner',
        sslmode: 'disable',
      },
      secrets: { password: PASSWORD },
      mode: 'report',
      accountRule: { type: 'emailLocalPart' },
    });
    const crowd = await people(r, 'm', 10_000);
    const few = await people(r, 'p', 200);
    // The index learns of the users inserted in bulk at a restart.
    await latch.close();
    latch = await start(r);

    const phase = (what: string) => process.stderr.write(`  ${what} ...\n`);
    phase('break-glass activations');
    // Break-glass: 200 activations, 20 a second; each until its account is a member of the role.
    const bgGroup = await linkedGroup(latch, r, connection.id, 'bench_breakglass');
    await configureBreakGlass(latch.deps, r.actor, bgGroup, { userIds: few.map((p) => p.id) });
    const activation: number[] = [];
    for (const p of few) {
      const t0 = performance.now();
      await activateBreakGlass(latch.deps, { id: p.id, role: 'member' }, bgGroup, 'bench incident');
      while (!(await members(r, 'bench_breakglass')).has(p.account)) await sleep(2);
      activation.push(performance.now() - t0);
      await sleep(Math.max(0, 50 - (performance.now() - t0)));
    }

    phase('expiries');
    // Expiry: 150 grants ending over 3 s, each account with a session that did SET ROLE (the target's 200
    // connection slots hold those and Latch's); until REVOKE is done and the session ended.
    const expiring = few.slice(0, 150);
    const exGroup = await linkedGroup(latch, r, connection.id, 'bench_expiry');
    const base = Date.now() + 8_000;
    const ends = new Map<string, number>();
    for (const [i, p] of expiring.entries()) {
      const at = base + i * 20;
      ends.set(p.account, at);
      await grantAccess(
        latch.deps,
        r.actor,
        { groupId: exGroup },
        { userId: p.id, expiresAt: new Date(at).toISOString() },
      );
    }
    while ((await members(r, 'bench_expiry')).size < expiring.length) await sleep(10);
    const sessions = new Map<string, pg.Client>();
    for (const p of expiring) {
      const c = new pg.Client({
        host: '127.0.0.1',
        port: r.targetCluster.port,
        database: 'postgres',
        user: p.account,
        password: 'acct',
      });
      c.on('error', () => undefined);
      await c.connect();
      await c.query('set role bench_expiry');
      sessions.set(p.account, c);
    }
    const expiry: number[] = [];
    const pending = new Set(expiring.map((p) => p.account));
    while (pending.size > 0 && Date.now() < base + 60_000) {
      const now = Date.now();
      const still = await members(r, 'bench_expiry');
      const { rows } = await r.target.query<{ u: string }>(
        `select usename::text as u from pg_stat_activity where usename like 'p%'`,
      );
      const connected = new Set(rows.map((x) => x.u));
      for (const a of [...pending])
        if (now >= ends.get(a)! && !still.has(a) && !connected.has(a)) {
          expiry.push(now - ends.get(a)!);
          pending.delete(a);
        }
      await sleep(5);
    }
    for (const c of sessions.values()) await c.end().catch(() => undefined);

    phase('10,000 members from scratch, then idle');
    // A linked item of 10,000 members, from scratch (the grants first, the link after), then an idle sync.
    const g = await createGroup(latch.deps, r.actor, { name: 'bench_crowd' });
    for (let i = 0; i < crowd.length; i += 1000)
      await r.store.db
        .insertInto('grants')
        .values(
          crowd.slice(i, i + 1000).map((p, j) => ({
            id: `grt_crowd${String(i + j).padStart(8, '0')}`,
            user_id: p.id,
            group_id: g.id,
            source: 'direct',
            created_at: new Date(),
            starts_at: new Date(),
          })),
        )
        .execute();
    await latch.close();
    latch = await start(r);
    await r.target.query(`set role latch_provisioner; create role bench_crowd nologin; reset role;`);
    const t1 = performance.now();
    await updateGroup(latch.deps, r.actor, g.id, {
      remote: { connectionId: connection.id, remoteId: 'bench_crowd' },
    });
    while ((await members(r, 'bench_crowd')).size < crowd.length) await sleep(20);
    const fromScratchMs = performance.now() - t1;
    await sleep(500);
    const before = await lastSynced(r);
    const t2 = performance.now();
    await requestSync(latch.deps, r.actor, connection.id);
    while ((await lastSynced(r)) === before) await sleep(5);
    const idleMs = performance.now() - t2;

    phase('start after downtime');
    // Downtime: 5,000 of the crowd hold grants that expire while Latch is stopped.
    const down = await createGroup(latch.deps, r.actor, { name: 'bench_down' });
    await linkedGroupFor(latch, r, connection.id, down.id, 'bench_down');
    const expireAt = new Date(Date.now() + 20_000);
    for (let i = 0; i < 5000; i += 1000)
      await r.store.db
        .insertInto('grants')
        .values(
          crowd.slice(i, i + 1000).map((p, j) => ({
            id: `grt_down${String(i + j).padStart(8, '0')}`,
            user_id: p.id,
            group_id: down.id,
            source: 'direct',
            created_at: new Date(),
            starts_at: new Date(),
            expires_at: expireAt,
          })),
        )
        .execute();
    await latch.close();
    latch = await start(r);
    while ((await members(r, 'bench_down')).size < 5000) await sleep(20);
    await latch.close();
    while (Date.now() < expireAt.getTime() + 500) await sleep(50);
    const t3 = performance.now();
    latch = await start(r);
    const readyMs = performance.now() - t3;
    const t4 = performance.now();
    while ((await members(r, 'bench_down')).size > 0) await sleep(10);
    const revokeMs = performance.now() - t4;

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const a = sorted(activation);
    const e = sorted(expiry);
    return {
      activation: {
        count: a.length,
        p50Ms: percentile(a, 50),
        p99Ms: percentile(a, 99),
        maxMs: a.at(-1) ?? NaN,
      },
      expiry: { count: e.length, p50Ms: percentile(e, 50), p99Ms: percentile(e, 99), maxMs: e.at(-1) ?? NaN },
      reconcile: { members: crowd.length, fromScratchMs, idleMs },
      downtime: { expired: 5000, readyMs, revokeMs, perSecond: 5000 / (revokeMs / 1000) },
    };
  } finally {
    await latch.close();
    await r.target.end();
    await r.store.close();
    r.latchCluster.stop();
    r.targetCluster.stop();
  }
}

async function linkedGroupFor(latch: Latch, r: Rig, connectionId: string, groupId: string, role: string) {
  await r.target.query(`set role latch_provisioner; create role "${role}" nologin; reset role;`);
  await updateGroup(latch.deps, r.actor, groupId, { remote: { connectionId, remoteId: role } });
}

async function lastSynced(r: Rig): Promise<number> {
  const row = await r.store.db
    .selectFrom('events')
    .select('seq')
    .where('type', '=', 'connection.synced')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
