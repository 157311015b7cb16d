import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../src/domain/users.js';
import { createLatch, type Latch } from '../src/main.js';
import { closeAccessReview } from '../src/ops/access-reviews/close-review.js';
import { createAccessReview } from '../src/ops/access-reviews/create-review.js';
import { decideRows } from '../src/ops/access-reviews/decide.js';
import { listRows } from '../src/ops/access-reviews/queries.js';
import { reviewersOfRows } from '../src/store/access-review-rows.js';
import { bootstrapAdmin } from '../src/ops/identity/bootstrap-admin.js';
import { openPostgres } from '../src/store/connection.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { Database } from '../src/store/schema.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { percentile } from './activation-bench.js';
import { generateDataset, type DatasetName } from './dataset.js';
import { measureGrowth, type MemoryGrowth } from './memory-peak.js';
import { loadDataset } from './pg-load.js';

// Access reviews at dataset B on PostgreSQL 15, the operations run in-process as the server runs them: a
// campaign over everything (every group, so all 1,000,000 memberships and the access nesting passes on), with
// each group's owner reviewing it; pages of one reviewer's rows through the rows route's query; an admin's first
// page of one person's rows (what an auditor asks: what did this person have?); and closing after reviewers
// revoked 100,000 memberships.

export const REVIEW_TARGETS = { createSeconds: 30, createMb: 300, pageMs: 50, closeSeconds: 60 };
const OWNERS = 2000;
const PAGES = 50;
const PAGE_SIZE = 100;
const REVOCATIONS = 100_000;
const DECISION_BATCH = 1000;
const PEOPLE = 40;

export interface ReviewsBenchResult {
  dataset: DatasetName;
  memberships: number;
  rows: number;
  needingDecision: number;
  reviewers: number;
  create: { ms: number; memory: MemoryGrowth };
  page: { reviewerRows: number; pages: number; size: number; p50Ms: number; p99Ms: number };
  person: { people: number; meanRows: number; p50Ms: number; maxMs: number };
  close: { revocations: number; decideRequests: number; decideMs: number; ms: number; revoked: number };
}

type Db = Kysely<Database>;
const phase = (what: string) => process.stderr.write(`  ${what} ...\n`);

/** The dataset, and an owner for every group among the first OWNERS users; only counts are kept in memory. */
async function loadOwnedDataset(db: Db, name: DatasetName): Promise<number> {
  const now = Date.now();
  const ds = generateDataset(name, now);
  await loadDataset(db, ds, now);
  const owners = ds.groups.map((_, i) => ds.users[i % OWNERS]!);
  await sql`insert into item_owners (item_id, user_id)
    select * from unnest(${ds.groups}::text[], ${owners}::text[])`.execute(db);
  await sql`analyze item_owners`.execute(db);
  return ds.grants.length;
}

/** Pages of the reviewer with the most rows, through the rows route's query (one row more than the page). */
async function timePages(latch: Latch, reviewId: string) {
  const top = await latch.deps.db
    .selectFrom('access_review_reviewers')
    .select(['reviewer_id', 'total'])
    .where('review_id', '=', reviewId)
    .orderBy('total', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const reviewer: Actor = { id: top.reviewer_id, role: 'member' };
  const times: number[] = [];
  let after = 0;
  for (let i = 0; i < PAGES + 5; i++) {
    const t = performance.now();
    const rows = await listRows(latch.deps, reviewer, reviewId, {
      afterPosition: after,
      limit: PAGE_SIZE + 1,
    });
    if (i >= 5) times.push(performance.now() - t);
    after = Number(rows[PAGE_SIZE - 1]?.id ?? 0);
    if (rows.length <= PAGE_SIZE) after = 0;
  }
  const sorted = times.sort((a, b) => a - b);
  return {
    reviewerRows: top.total,
    pages: times.length,
    size: PAGE_SIZE,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

/** An admin's first page of one person's rows, for PEOPLE people spread over the users. */
async function timePersonFilter(latch: Latch, reviewId: string, admin: Actor) {
  const users = await sql<{ id: string }>`
    select id from (select id, row_number() over (order by id) as n from users) u
    where n % (select greatest(count(*) / ${PEOPLE}, 1) from users) = 0 limit ${PEOPLE}`.execute(
    latch.deps.db,
  );
  const times: number[] = [];
  let rows = 0;
  for (const { id: userId } of users.rows) {
    const t = performance.now();
    const page = await listRows(latch.deps, admin, reviewId, { userId, limit: PAGE_SIZE + 1 });
    times.push(performance.now() - t);
    rows += page.length;
  }
  const sorted = times.sort((a, b) => a - b);
  return {
    people: times.length,
    meanRows: rows / Math.max(times.length, 1),
    p50Ms: percentile(sorted, 50),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** REVOCATIONS rows held by a membership, each decided revoke by one of its reviewers, a batch per request. */
async function revokeMemberships(latch: Latch, reviewId: string, admin: Actor) {
  const picked = await sql<{ position: number }>`
    select r.position from access_review_rows r
    where r.review_id = ${reviewId} and r.grant_id is not null and r.needs_decision
    order by r.position limit ${REVOCATIONS}`.execute(latch.deps.db);
  const positions = picked.rows.map((r) => r.position);
  const reviewers = await reviewersOfRows(latch.deps.db, reviewId, positions);
  const byReviewer = new Map<string, string[]>();
  for (const position of positions) {
    const reviewerId = reviewers.get(position)![0]!;
    const ids = byReviewer.get(reviewerId) ?? [];
    if (ids.length === 0) byReviewer.set(reviewerId, ids);
    ids.push(String(position));
  }
  let requests = 0;
  const t = performance.now();
  for (const [reviewerId, ids] of byReviewer) {
    const actor: Actor = reviewerId === admin.id ? admin : { id: reviewerId, role: 'member' };
    for (let i = 0; i < ids.length; i += DECISION_BATCH) {
      await decideRows(latch.deps, actor, reviewId, {
        rowIds: ids.slice(i, i + DECISION_BATCH),
        decision: 'revoke',
        comment: 'no longer needed',
      });
      requests++;
    }
  }
  return { revocations: positions.length, decideRequests: requests, decideMs: performance.now() - t };
}

export async function benchReviews(port: number, dataset: DatasetName = 'B'): Promise<ReviewsBenchResult> {
  const cluster = startPgCluster(port, mkdtempSync(join(tmpdir(), 'latch-bench-reviews-')));
  const store = await openPostgres(cluster.url, 10);
  let latch: Latch | undefined;
  try {
    await migrateToLatest(store.db);
    const keys = { audit: randomBytes(32), secret: randomBytes(32) };
    await bootstrapAdmin({ db: store.db, now: () => new Date(), keys }, 'bench@example.test', 'b'.repeat(40));
    const adminRow = await store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const admin: Actor = { id: adminRow.id, role: 'admin' };
    phase(`loading dataset ${dataset} with an owner for every group`);
    const memberships = await loadOwnedDataset(store.db, dataset);
    latch = await createLatch(store, { keys, jobs: false });

    phase('campaign over everything');
    const { result: review, growth } = await measureGrowth(() =>
      timed(() =>
        createAccessReview(latch!.deps, admin, {
          name: 'bench: everything',
          scope: { everything: true },
          reviewers: { type: 'owners' },
          deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        }),
      ),
    );
    const id = review.value.id;

    phase(`${PAGES} pages of ${PAGE_SIZE} rows for one reviewer`);
    const page = await timePages(latch, id);

    phase(`the first page of ${PEOPLE} people's rows, as an admin`);
    const person = await timePersonFilter(latch, id, admin);

    phase(`${REVOCATIONS} revocations decided, then closing`);
    const decided = await revokeMemberships(latch, id, admin);
    const closed = await timed(() => closeAccessReview(latch!.deps, admin, id));
    return {
      dataset,
      memberships,
      rows: review.value.rowCount,
      needingDecision: review.value.progress.total,
      reviewers: review.value.progress.byReviewer.length,
      create: { ms: review.ms, memory: growth },
      page,
      person,
      close: { ...decided, ms: closed.ms, revoked: closed.value.outcome?.revoked ?? 0 },
    };
  } finally {
    await latch?.close();
    await store.close();
    cluster.stop();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await run();
  return { value, ms: performance.now() - t };
}
