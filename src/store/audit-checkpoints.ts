import { sql, type Kysely, type Transaction } from 'kysely';
import type { StoredCheckpoint } from '../domain/audit-chain.js';
import { createdAtMicros } from './audit-chain.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Signed checkpoints of the chain's head, one row per checkpointed seq (the key makes "exactly once per head"
// a constraint, not a hope). Read back with the time in microseconds, as their MAC covers it.

const columns = [
  sql<string>`seq::text`.as('seq'),
  'hash',
  createdAtMicros.as('created_at_us'),
  'mac',
] as const;

interface Row {
  seq: string;
  hash: string;
  created_at_us: string;
  mac: string;
}

const toStored = (r: Row): StoredCheckpoint => ({
  seq: r.seq,
  hash: r.hash,
  createdAtUs: r.created_at_us,
  mac: r.mac,
});

export async function insertCheckpoint(
  trx: Transaction<Database>,
  c: { seq: number; hash: string; createdAt: Date; mac: string },
): Promise<void> {
  await trx
    .insertInto('audit_checkpoints')
    .values({ seq: c.seq, hash: c.hash, created_at: c.createdAt, mac: c.mac })
    .execute();
}

/** The checkpoint with the highest seq, and when it was made. */
export async function newestCheckpoint(
  db: Db,
): Promise<(StoredCheckpoint & { createdAt: Date }) | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select([...columns, 'created_at'])
    .orderBy('audit_checkpoints.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { ...toStored(row), createdAt: row.created_at };
}

export async function anyCheckpoint(db: Db): Promise<boolean> {
  return (await db.selectFrom('audit_checkpoints').select('seq').limit(1).executeTakeFirst()) !== undefined;
}

/** Every checkpoint in seq order, a page at a time. */
export async function* iterateCheckpoints(db: Db, pageSize = 1000): AsyncGenerator<StoredCheckpoint> {
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom('audit_checkpoints')
      .select(columns)
      .where('audit_checkpoints.seq', '>', after)
      .orderBy('audit_checkpoints.seq', 'asc')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield toStored(r);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Newest first, before a seq (the cursor). */
export async function listCheckpoints(
  db: Db,
  page: { beforeSeq?: number | undefined; limit: number },
): Promise<StoredCheckpoint[]> {
  let q = db
    .selectFrom('audit_checkpoints')
    .select(columns)
    .orderBy('audit_checkpoints.seq', 'desc')
    .limit(page.limit);
  if (page.beforeSeq !== undefined) q = q.where('audit_checkpoints.seq', '<', page.beforeSeq);
  return (await q.execute()).map(toStored);
}

/** What an audit stream sends next: checkpoints after the last one it sent, up to the events it has sent. */
export async function checkpointsToStream(
  db: Db,
  range: { afterSeq: number; uptoSeq: number; limit: number },
): Promise<StoredCheckpoint[]> {
  return (
    await db
      .selectFrom('audit_checkpoints')
      .select(columns)
      .where('audit_checkpoints.seq', '>', range.afterSeq)
      .where('audit_checkpoints.seq', '<=', range.uptoSeq)
      .orderBy('audit_checkpoints.seq', 'asc')
      .limit(range.limit)
      .execute()
  ).map(toStored);
}
