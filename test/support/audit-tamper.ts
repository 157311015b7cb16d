import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  GENESIS_HASH,
  hashEvent,
  isoOfMicros,
  type StoredCheckpoint,
  type StoredEvent,
} from '../../src/domain/audit-chain.js';
import { parseCheckpointExport } from '../../src/domain/audit-checkpoint-records.js';
import { streamRecords } from '../../src/ops/audit/stream-records.js';
import { iterateStoredEvents } from '../../src/store/audit-chain.js';
import { iterateCheckpoints } from '../../src/store/audit-checkpoints.js';
import type { Database } from '../../src/store/schema.js';

// What someone with write access to the database can do to the audit log, in SQL, and nothing more: they can
// recompute the unkeyed hash, or MACs under a key of their own, but not under the server's audit key.

type Db = Kysely<Database>;
export type Recompute = (e: Omit<StoredEvent, 'hash'>) => string;

export async function readStoredEvents(db: Db): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of iterateStoredEvents(db, { afterSeq: 0 })) out.push(e);
  return out;
}

/** The unkeyed rule, as anyone can compute it. */
export const unkeyedHash: Recompute = (e) =>
  hashEvent({
    id: e.id,
    seq: Number(e.seq),
    type: e.type,
    actorId: e.actorId,
    subjects: e.subjects as { type: string; id: string }[],
    data: e.data,
    createdAt: isoOfMicros(e.createdAtUs)!,
    prevHash: e.prevHash,
  });

/**
 * Re-links the events from `fromSeq` on (through `throughSeq`, or to the end) with `recompute`; reaching the end,
 * it moves the head to the new last hash too.
 */
export async function rehashFrom(db: Db, fromSeq: number, recompute: Recompute, throughSeq?: number) {
  const events = await readStoredEvents(db);
  const last = throughSeq ?? events.length;
  let prevHash = fromSeq === 1 ? GENESIS_HASH : events[fromSeq - 2]!.hash;
  for (const e of events.slice(fromSeq - 1, last)) {
    const hash = recompute({ ...e, prevHash });
    await sql`update events set prev_hash = ${prevHash}, hash = ${hash} where seq = ${Number(e.seq)}`.execute(
      db,
    );
    prevHash = hash;
  }
  if (last === events.length)
    await sql`update audit_head set seq = ${last}, hash = ${prevHash} where id = 1`.execute(db);
}

/** Deletes the events after `seq` and moves the head back to the one that is left last. */
export async function truncateAfter(db: Db, seq: number): Promise<void> {
  await sql`delete from events where seq > ${seq}`.execute(db);
  await sql`update audit_head set seq = ${seq}, hash = (select hash from events where seq = ${seq}) where id = 1`.execute(
    db,
  );
}

/** Writes `n` events as Latch did before it had an audit key: hashed without a key, nothing sealed. */
export async function writeUnkeyedEvents(db: Db, n: number): Promise<void> {
  const head = await sql<{ seq: number; hash: string }>`select seq, hash from audit_head`.execute(db);
  let { seq, hash: prevHash } = head.rows[0]!;
  for (let i = 0; i < n; i++) {
    seq = Number(seq) + 1;
    const e = {
      id: `evt_old_${randomBytes(6).toString('hex')}`,
      seq,
      type: 'user.created',
      actorId: null,
      subjects: [{ type: 'user', id: `usr_old_${i}` }],
      data: { name: `Old ${i}`, n: i },
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i, 7)).toISOString(),
      prevHash,
    };
    const hash = hashEvent(e);
    await sql`insert into events (seq, id, type, actor_id, subjects, subject_ids, data, created_at, prev_hash, hash)
      values (${e.seq}, ${e.id}, ${e.type}, ${e.actorId}, ${JSON.stringify(e.subjects)}, ${e.subjects.map((s) => s.id)},
              ${JSON.stringify(e.data)}, ${e.createdAt}, ${e.prevHash}, ${hash})`.execute(db);
    prevHash = hash;
  }
  await sql`update audit_head set seq = ${seq}, hash = ${prevHash} where id = 1`.execute(db);
}

export async function storedCheckpoints(db: Db): Promise<StoredCheckpoint[]> {
  const out: StoredCheckpoint[] = [];
  for await (const c of iterateCheckpoints(db)) out.push(c);
  return out;
}

/** A SIEM's export of what the audit stream sent it for these checkpoints (JSON lines), read back. */
export const siemCopy = (checkpoints: StoredCheckpoint[]): StoredCheckpoint[] =>
  parseCheckpointExport(
    streamRecords([], checkpoints)
      .map((r) => r.delivery.body)
      .join('\n'),
  );
