import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/domain/users.js';
import { createLatch } from '../src/main.js';
import { bootstrapAdmin } from '../src/ops/identity/bootstrap-admin.js';
import { createGroup } from '../src/ops/items/create-group.js';
import { createUser } from '../src/ops/identity/create-user.js';
import { grantAccess } from '../src/ops/grants/grant.js';
import { openEmbedded, openPostgres, type Store } from '../src/store/connection.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { startPgCluster, type PgCluster } from '../test/support/pg-cluster.js';

// The time engine's lag: 1,000 grants made through the ops, expiring over ~5 s, with the scheduler running as
// in a server. The lag of a grant is the wall-clock time from its expiry until the batch holding its
// `grant.expired` event has committed (the scheduler reports each batch after commit). Target: p99 < 1 s.

export interface ExpiryBenchResult {
  store: 'embedded' | 'postgres';
  grants: number;
  spreadMs: number;
  /** Grants whose expiry passed before they were created (they would measure creation, not the engine). */
  createdLate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Events whose createdAt differs from the grant's expiresAt (must be 0). */
  misdated: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openBenchStore(
  kind: 'embedded' | 'postgres',
  port: number,
): Promise<{ store: Store; cluster?: PgCluster }> {
  if (kind === 'embedded') return { store: await openEmbedded(undefined) };
  const cluster = startPgCluster(port, mkdtempSync(join(tmpdir(), 'latch-bench-expiry-')));
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database latch_expiry');
  await admin.end();
  return { store: await openPostgres(cluster.url.replace(/\/postgres$/, '/latch_expiry'), 10), cluster };
}

export async function benchExpiry(
  kind: 'embedded' | 'postgres',
  opts: { port?: number; grants?: number; spreadMs?: number } = {},
): Promise<ExpiryBenchResult> {
  const count = opts.grants ?? 1000;
  const spreadMs = opts.spreadMs ?? 5000;
  const { store, cluster } = await openBenchStore(kind, opts.port ?? 27000);
  try {
    await migrateToLatest(store.db);
    const keys = { audit: randomBytes(32), secret: randomBytes(32) };
    await bootstrapAdmin({ db: store.db, now: () => new Date(), keys }, 'bench@example.test', 'b'.repeat(40));
    const wanted = new Map<string, number>();
    const lags: number[] = [];
    const latch = await createLatch(store, {
      keys,
      jobs: true,
      jobOptions: {
        scheduler: {
          onProcessed: (source, items) => {
            if (source !== 'grant-expiry') return;
            const at = Date.now();
            for (const item of items) if (wanted.delete(item.id)) lags.push(at - item.dueAt.getTime());
          },
        },
      },
    });
    try {
      const admin = await store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
      const actor: Actor = { id: admin.id, role: 'admin' };
      const users = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          createUser(latch.deps, actor, { email: `b${i}@example.test`, name: `B${i}` }),
        ),
      );
      const group = await createGroup(latch.deps, actor, { name: 'expiry-bench' });
      const make = (n: number, expiresAt: Date) =>
        grantAccess(
          latch.deps,
          actor,
          { groupId: group.id },
          { userId: users[n % 10]!.id, expiresAt: expiresAt.toISOString() },
        );

      // Measure how long making grants takes here, so that every expiry falls after the last grant exists.
      const t = performance.now();
      for (let n = 0; n < 20; n++) await make(n, new Date(Date.now() + 86_400_000));
      const perGrantMs = (performance.now() - t) / 20;
      const base = Date.now() + Math.ceil(perGrantMs * count * 1.5) + 2000;
      let createdLate = 0;
      for (let n = 0; n < count; n++) {
        const expiresAt = new Date(base + Math.floor((n * spreadMs) / count));
        const grant = await make(n, expiresAt);
        wanted.set(grant.id, expiresAt.getTime());
        if (Date.now() >= expiresAt.getTime()) createdLate++;
      }
      while (wanted.size > 0 && Date.now() < base + spreadMs + 30_000) await sleep(100);
      if (wanted.size > 0) throw new Error(`${wanted.size} expiries were not recorded`);

      // The first subject of grant.expired is the grant.
      const misdated = await sql<{ n: number }>`
        select count(*)::int as n from events e join grants g on g.id = e.subject_ids[1]
        where e.type = 'grant.expired' and e.created_at <> g.expires_at`.execute(store.db);
      lags.sort((a, b) => a - b);
      return {
        store: kind,
        grants: count,
        spreadMs,
        createdLate,
        p50Ms: percentile(lags, 50),
        p99Ms: percentile(lags, 99),
        maxMs: lags[lags.length - 1] ?? NaN,
        misdated: misdated.rows[0]?.n ?? 0,
      };
    } finally {
      await latch.close();
    }
  } finally {
    await store.close();
    cluster?.stop();
  }
}
