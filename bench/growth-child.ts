import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Actor } from '../src/domain/users.js';
import { createLatch } from '../src/main.js';
import { bootstrapAdmin } from '../src/ops/identity/bootstrap-admin.js';
import { grantAccess } from '../src/ops/grants/grant.js';
import { revokeGrant } from '../src/ops/grants/revoke.js';
import { runInTransaction } from '../src/ops/shared/transaction.js';
import { openEmbedded } from '../src/store/connection.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { Database } from '../src/store/schema.js';
import { generateDataset, mulberry32, pick } from './dataset.js';
import { loadDataset } from './pg-load.js';
import { loadKeys } from '../src/keys/load-keys.js';

// One step of the growth bench in a process of its own, so that the process's memory is the store's alone.
//   load DIR MODE: a new embedded store in DIR with dataset A loaded (PGlite's first start runs initdb in a second
//     instance, whose memory a server pays only once in its life: it is not what is measured).
//   serve DIR MODE: as a server restarted on it: the composition root's Latch, the catch-up on the expiries that
//     fell due, then 2,500 grants and 2,500 revocations through the ops and
//     100,000 more audit events in bulk. Prints, as JSON,
//     what the process and the data directory hold then.
// MODE is `defaults` (PGlite's PostgreSQL settings, no checkpoints but at shutdown) or `latch` (EMBEDDED_SETTINGS,
// and the store's own checkpoints).

const WRITES = 2_500;
/** Audit events appended in bulk afterwards, 200 a transaction: months of a busy install's log, in seconds. */
const BULK_EVENTS = 100_000;
const BENCH_EMAIL = 'bench@example.test';

/** Bytes on disk under a path, as `du` counts them (allocated blocks). */
function diskBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), st.blocks * 512);
}

const count = async (db: Kysely<Database>, query: RawBuilder<{ n: string }>) =>
  Number((await query.execute(db)).rows[0]!.n);

const [step, dataDir, mode] = process.argv.slice(2) as ['load' | 'serve', string, 'defaults' | 'latch'];
const store = await openEmbedded(
  dataDir,
  undefined,
  mode === 'defaults' ? { settings: {}, checkpoints: false } : {},
);
const clock = () => new Date();
// Key files in the bench's data directory, so the serving process reads what the loading one wrote.
const keys = loadKeys({ storeKind: 'embedded', dataDir });

if (step === 'load') {
  await migrateToLatest(store.db);
  const now = Date.now();
  await loadDataset(store.db, generateDataset('A', now), now);
  await bootstrapAdmin({ db: store.db, now: clock, keys }, BENCH_EMAIL, `latch_bench_${'g'.repeat(40)}`);
  await store.close();
} else {
  const started = performance.now();
  const latch = await createLatch(store, { now: clock, keys });
  const due = sql<{
    n: string;
  }>`select count(*) as n from grants where ended_at is null and expires_at <= now()`;
  while ((await count(store.db, due)) > 0 && performance.now() - started < 120_000)
    await new Promise((r) => setTimeout(r, 200));
  const catchUpMs = performance.now() - started;

  const admin = (await store.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('email', '=', BENCH_EMAIL)
    .executeTakeFirstOrThrow()) as Actor;
  const users = (await store.db.selectFrom('users').select('id').execute()).map((u) => u.id);
  const groups = (await store.db.selectFrom('groups').select('id').execute()).map((g) => g.id);
  const rand = mulberry32(0x5eed);
  const writesStarted = performance.now();
  // Each write in a turn of the event loop of its own, as each request to a server is: a loop of awaits that
  // never yields would starve the timers a server runs (the store's checkpoints among them).
  const turn = () => new Promise((r) => setImmediate(r));
  for (let i = 0; i < WRITES; i++) {
    await turn();
    const grant = await grantAccess(
      latch.deps,
      admin,
      { groupId: pick(rand, groups) },
      { userId: pick(rand, users), reason: 'growth bench' },
    );
    await revokeGrant(latch.deps, admin, grant.id, 'growth bench');
  }
  const note = 'n'.repeat(900); // about the size of a real event's subjects and data
  for (let i = 0; i < BULK_EVENTS; i += 200) {
    await turn();
    await runInTransaction(latch.deps, async () => ({
      result: undefined,
      events: Array.from({ length: 200 }, (_, j) => ({
        // An event kind the access index ignores, so the bench measures the log's growth alone.
        type: 'session.started',
        actorId: admin.id,
        subjects: [{ type: 'user', id: pick(rand, users) }],
        data: { n: i + j, note },
      })),
    }));
  }
  const writeMs = performance.now() - writesStarted;
  // Garbage the heap would drop anyway is not the store's: collect it before reading the resident size.
  for (let i = 0; i < 2; i++) globalThis.gc?.();
  const rssMb = process.memoryUsage().rss / 1e6;
  await latch.close();
  // The chain's head, not count(*): a first scan of fresh rows sets hint bits, which with data checksums writes a
  // full-page image of each page to WAL, and that would be measured as the workload's.
  const events = await count(store.db, sql`select seq as n from audit_head`);
  const result = {
    mode,
    rssMb,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    dataDirMb: diskBytes(dataDir) / 1e6,
    walMb: diskBytes(join(dataDir, 'pgdata', 'pg_wal')) / 1e6,
    events,
    catchUpMs,
    writeMs,
  };
  await store.close();
  console.log(JSON.stringify(result));
}
