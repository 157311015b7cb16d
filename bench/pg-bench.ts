import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { AccessIndex } from '../src/access/access-index.js';
import { openPostgres } from '../src/store/connection.js';
import type { Database } from '../src/store/schema.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { generateDataset, pickQueries, type Dataset, type DatasetName } from './dataset.js';
import { runAutocannon, startBenchServer, type HttpResult, type ServerHandle } from './http-bench.js';
import { compareWithCte, type SameChecks } from './cte-compare.js';
import { loadDataset } from './pg-load.js';

// The same dataset in PostgreSQL: the same questions answered by recursive CTEs (how database-centred tools
// compute nesting) and by the in-process index (see cte-compare.ts), then the real server over HTTP.

export interface PgBenchResult {
  loadMs: number;
  /** From spawning `latch serve` to /readyz: migrations, bootstrap and building the index from PostgreSQL. */
  serverReadyMs: number;
  /** After ready: until every expiry and scheduled start that fell due before the spawn is recorded. */
  catchUpMs: number;
  /** How many of those there were: grant.expired and grant.started events to write. */
  backlog: { expiries: number; starts: number };
  /** After the catch-up: until the notices it queued are delivered (or skipped), so HTTP runs in steady state. */
  noticesMs: number;
  /** Then until the server process is idle (under 5% of a core for a second): the follow-up work it does
   * after recording a backlog (applying the events to its index, delivering notices) is over. */
  settleMs: number;
  sameChecks: SameChecks;
  httpSingle: HttpResult;
  httpBatch: HttpResult;
}

type Db = Kysely<Database>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (db: Db, query: ReturnType<typeof sql<{ n: string }>>) =>
  Number((await query.execute(db)).rows[0]?.n ?? 0);

/** Expiries and scheduled starts due at `at` and not recorded yet (the predicates of the time engine's indexes). */
async function backlogAt(db: Db, at: Date) {
  const [expiries, starts] = await Promise.all([
    count(db, sql`select count(*) as n from grants where ended_at is null and expires_at <= ${at}`),
    count(
      db,
      sql`select count(*) as n from grants where start_recorded_at is null and ended_at is null
            and starts_at > created_at and starts_at <= ${at}`,
    ),
  ]);
  return { expiries, starts };
}

/** Polls every 100 ms until `done` (at most two minutes); returns the time it took. */
async function until(done: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < 1200 && !(await done()); i++) await sleep(100);
  return performance.now() - start;
}

/** Waits until the server used under 5% of a core over one second (at most two minutes); returns the wait. */
async function untilIdle(server: ServerHandle): Promise<number> {
  const start = performance.now();
  let before = server.cpuMs();
  if (before === null) return 0;
  for (let i = 0; i < 120; i++) {
    await sleep(1000);
    const now = server.cpuMs();
    if (now === null || now - before < 50) break;
    before = now;
  }
  return performance.now() - start;
}

export async function benchPostgres(
  name: DatasetName,
  port: number,
  opts: { cteChecks: number; httpSeconds: number },
): Promise<PgBenchResult> {
  const cluster = startPgCluster(port, mkdtempSync(join(tmpdir(), 'latch-bench-pg-')));
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database latch_bench');
    await admin.end();
    const url = cluster.url.replace(/\/postgres$/, '/latch_bench');
    const store = await openPostgres(url, 4);
    await migrateToLatest(store.db);
    const now = Date.now();
    let ds: Dataset | undefined = generateDataset(name, now);
    const t = performance.now();
    await loadDataset(store.db, ds, now);
    const loadMs = performance.now() - t;

    const sameChecks = await compareWithCte(
      store.db,
      AccessIndex.build({ grants: ds.grants, edges: ds.edges, suspendedUserIds: [] }),
      pickQueries(ds, opts.cteChecks, 0.5, 7),
    );
    const httpPairs = pickQueries(ds, 20_000, 0.5, 11);
    // The dataset and the index built here are garbage now: collected before the server starts, so that this
    // process's collector does not take a core from the start-up being measured.
    ds = undefined;
    for (let i = 0; i < 2; i++) globalThis.gc?.();

    // The dataset holds grants that expired, and scheduled starts that came, while no server ran: the time
    // engine records them (events, notices) right after start-up. Measure that catch-up, then the steady state.
    const downUntil = new Date();
    const backlog = await backlogAt(store.db, downUntil);
    const server = await startBenchServer(url, port + 1);
    try {
      const catchUpMs = await until(async () => {
        const left = await backlogAt(store.db, downUntil);
        return left.expiries + left.starts === 0;
      });
      const noticesMs = await until(
        async () =>
          (await count(
            store.db,
            sql`select count(*) as n from outbox where status = 'pending' and next_attempt_at <= now()`,
          )) === 0,
      );
      const settleMs = await untilIdle(server);
      await store.close();
      const paths = httpPairs.map((q) => `/api/v1/access/check?userId=${q.userId}&groupId=${q.groupId}`);
      await runAutocannon(server.url, paths.slice(0, 2000), { durationSec: 2, connections: 16 }); // warm-up
      const httpSingle = await runAutocannon(server.url, paths, {
        durationSec: opts.httpSeconds,
        connections: 16,
      });
      const bodies: string[] = [];
      for (let i = 0; i + 100 <= httpPairs.length; i += 100)
        bodies.push(JSON.stringify({ checks: httpPairs.slice(i, i + 100) }));
      const httpBatch = await runAutocannon(server.url, ['/api/v1/access/check'], {
        durationSec: opts.httpSeconds,
        connections: 8,
        method: 'POST',
        bodies,
        checksPerRequest: 100,
      });
      return {
        loadMs,
        serverReadyMs: server.readyMs,
        catchUpMs,
        backlog,
        noticesMs,
        settleMs,
        sameChecks,
        httpSingle,
        httpBatch,
      };
    } finally {
      await server.stop();
    }
  } finally {
    cluster.stop();
  }
}
