import { sql, type Kysely, type Transaction } from 'kysely';
import type { ChainSeal, StoredEvent } from '../domain/audit-chain.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// The chain as verification reads it: every column of every event exactly as stored, and the head row with the
// seal (the seq from which events carry keyed MACs, a MAC over that boundary, and the key check value).

export interface ChainHead {
  seq: number;
  hash: string;
  seal: ChainSeal | null;
  /** HMAC of a fixed label under the key the log was sealed with; null until the first start with a key. */
  keyCheck: string | null;
}

/** The head with the newest checkpoint's seq and time, read in one statement so the two agree. */
export interface ChainHeadSnapshot extends ChainHead {
  newestCheckpoint: { seq: number; createdAt: Date } | null;
}

interface HeadRow {
  seq: number;
  hash: string;
  keyed_from_seq: number | null;
  seal_mac: string | null;
  key_check: string | null;
}

const toHead = (r: HeadRow): ChainHead => ({
  seq: Number(r.seq),
  hash: r.hash,
  seal:
    r.keyed_from_seq !== null && r.seal_mac !== null
      ? { keyedFromSeq: Number(r.keyed_from_seq), mac: r.seal_mac }
      : null,
  keyCheck: r.key_check,
});

const headColumns = ['seq', 'hash', 'keyed_from_seq', 'seal_mac', 'key_check'] as const;

export async function readChainHead(db: Db): Promise<ChainHeadSnapshot> {
  const row = await db
    .selectFrom('audit_head')
    .select(headColumns)
    .select([
      sql<number | null>`(select max(seq) from audit_checkpoints)`.as('checkpoint_seq'),
      sql<Date | null>`(select created_at from audit_checkpoints order by seq desc limit 1)`.as(
        'checkpoint_at',
      ),
    ])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    ...toHead(row),
    newestCheckpoint:
      row.checkpoint_seq === null || row.checkpoint_at === null
        ? null
        : { seq: Number(row.checkpoint_seq), createdAt: new Date(row.checkpoint_at) },
  };
}

/** The head row, locked for the rest of the transaction: appends, seals and checkpoints queue behind it. */
export async function lockChainHead(trx: Transaction<Database>): Promise<ChainHead> {
  return toHead(
    await trx
      .selectFrom('audit_head')
      .select(headColumns)
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow(),
  );
}

export async function writeSeal(
  trx: Transaction<Database>,
  seal: ChainSeal & { keyCheck: string },
): Promise<void> {
  await trx
    .updateTable('audit_head')
    .set({ keyed_from_seq: seal.keyedFromSeq, seal_mac: seal.mac, key_check: seal.keyCheck })
    .where('id', '=', 1)
    .execute();
}

/** The time as microseconds since the epoch, in text: every digit the column holds (Infinity stays Infinity). */
export const createdAtMicros = sql<string>`trunc(extract(epoch from created_at) * 1000000)::text`;

/** Events with `afterSeq < seq <= uptoSeq` in seq order, a page at a time, with every column as stored. */
export async function* iterateStoredEvents(
  db: Db,
  range: { afterSeq: number; uptoSeq?: number },
  pageSize = 1000,
): AsyncGenerator<StoredEvent> {
  let after = range.afterSeq;
  for (;;) {
    let q = db
      .selectFrom('events')
      .select([
        'seq',
        sql<string>`seq::text`.as('seq_text'),
        'id',
        'type',
        'actor_id',
        'subjects',
        'subject_ids',
        'data',
        createdAtMicros.as('created_at_us'),
        'prev_hash',
        'hash',
      ])
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(pageSize);
    if (range.uptoSeq !== undefined) q = q.where('seq', '<=', range.uptoSeq);
    const rows = await q.execute();
    for (const r of rows)
      yield {
        id: r.id,
        seq: r.seq_text,
        type: r.type,
        actorId: r.actor_id,
        subjects: r.subjects,
        subjectIds: r.subject_ids,
        data: r.data,
        createdAtUs: r.created_at_us,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
