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
import { generateDataset, pickQueries, type DatasetName } from './dataset.js';
import { runAutocannon, startBenchServer, type HttpResult } from './http-bench.js';
import { cteCheck, loadDataset } from './pg-load.js';

// The same dataset in PostgreSQL: the same checks answered by a recursive CTE (how database-centred tools
// compute nesting) and by the in-process index, then the real server over HTTP.

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface PgBenchResult {
  loadMs: number;
  /** From spawning `latch serve` to /readyz: migrations, bootstrap and building the index from PostgreSQL. */
  serverReadyMs: number;
  /** After ready: recording the expiries that fell due while no server ran, until the audit log stops growing. */
  catchUpMs: number;
  sameChecks: {
    count: number;
    allowRate: number;
    cteP50Us: number;
    cteP99Us: number;
    indexP50Us: number;
    indexP99Us: number;
    ratioP50: number;
    agree: boolean;
  };
  httpSingle: HttpResult;
  httpBatch: HttpResult;
}

/** Waits until the audit log has not grown for two seconds (at most two minutes). */
async function untilQuiet(store: { db: Kysely<Database> }) {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const head = Number(
      (await sql<{ s: string }>`select seq as s from audit_head`.execute(store.db)).rows[0]?.s ?? 0,
    );
    if (head === last) return;
    last = head;
    await new Promise((r) => setTimeout(r, 2000));
  }
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
    const ds = generateDataset(name, now);
    let t = performance.now();
    await loadDataset(store.db, ds, now);
    const loadMs = performance.now() - t;

    const pairs = pickQueries(ds, opts.cteChecks, 0.5, 7);
    const index = AccessIndex.build({ grants: ds.grants, edges: ds.edges, suspendedUserIds: [] });
    const cte: number[] = [];
    const inProc: number[] = [];
    let agree = true;
    let allowed = 0;
    for (const q of pairs) {
      t = performance.now();
      const viaCte = await cteCheck(store.db, q.userId, q.groupId);
      cte.push((performance.now() - t) * 1000);
      const viaIndex = index.check(q.userId, { groupId: q.groupId }, Date.now()).allowed;
      if (viaCte !== viaIndex) agree = false;
      if (viaIndex) allowed++;
    }
    // The same pairs in-process, timed per call once the code is warm (as it is in a running server).
    const nowMs = Date.now();
    for (let round = 0; round < 30; round++) {
      for (const q of pairs) {
        const start = process.hrtime.bigint();
        index.check(q.userId, { groupId: q.groupId }, nowMs);
        if (round >= 10) inProc.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
    cte.sort((a, b) => a - b);
    inProc.sort((a, b) => a - b);

    const server = await startBenchServer(url, port + 1);
    try {
      // The dataset holds grants that expired while no server ran: the time engine records them (events,
      // notices) right after start-up. Measure that catch-up, then the steady state.
      const catchUpStart = performance.now();
      await untilQuiet(store);
      const catchUpMs = performance.now() - catchUpStart;
      await store.close();
      const httpPairs = pickQueries(ds, 20_000, 0.5, 11);
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
        sameChecks: {
          count: pairs.length,
          allowRate: allowed / pairs.length,
          cteP50Us: percentile(cte, 50),
          cteP99Us: percentile(cte, 99),
          indexP50Us: percentile(inProc, 50),
          indexP99Us: percentile(inProc, 99),
          ratioP50: percentile(cte, 50) / Math.max(percentile(inProc, 50), 0.001),
          agree,
        },
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
