import { sql, type Kysely, type Transaction } from 'kysely';
import {
  AuditKeyMismatchError,
  eventMac,
  GENESIS_HASH,
  keyCheckValue,
  microsOf,
  sameMac,
  sealAfter,
  UnsealedChainError,
  type ChainedEvent,
  type Subject,
} from '../domain/audit-chain.js';
import type { EventType } from '../domain/event-types.js';
import { lockChainHead, writeSeal } from './audit-chain.js';
import { newId } from './ids.js';
import type { Database, EventRow } from './schema.js';

export interface NewEvent {
  type: EventType;
  actorId: string | null;
  subjects: Subject[];
  data: Record<string, unknown>;
  /** When the event happened; defaults to now. Jobs date catch-up events at the time they fell due. */
  at?: Date;
}

export const toChainedEvent = (row: EventRow): ChainedEvent => ({
  id: row.id,
  seq: Number(row.seq),
  type: row.type,
  actorId: row.actor_id,
  subjects: row.subjects,
  data: row.data,
  createdAt: row.created_at.toISOString(),
  prevHash: row.prev_hash,
  hash: row.hash,
});

const INSERT_SLICE = 1000;

/** What jsonb will hand back for a value: no undefined, no Dates, no non-finite numbers. */
const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Appends events to the chain inside the caller's transaction, each sealed with an HMAC under the audit key. The
 * head row is locked for the rest of the transaction, so concurrent writers chain in commit order; callers
 * append last to keep that lock short. Refuses a key other than the one the log was sealed with.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  auditKey: Buffer,
  events: NewEvent[],
): Promise<ChainedEvent[]> {
  if (events.length === 0) return [];
  const head = await lockChainHead(trx);
  if (head.keyCheck === null) {
    if (head.seq !== 0)
      throw new UnsealedChainError(
        'the audit log is not sealed yet: start the server once to verify and seal it',
      );
    // A fresh log has no unkeyed part: its first write seals it.
    await writeSeal(trx, sealAfter(auditKey, { seq: 0, hash: GENESIS_HASH }));
  } else if (!sameMac(head.keyCheck, keyCheckValue(auditKey))) throw new AuditKeyMismatchError();
  let seq = head.seq;
  let prevHash = head.hash;
  const written: ChainedEvent[] = [];
  for (const e of events) {
    seq += 1;
    const at = e.at ?? new Date();
    const id = newId('evt');
    const subjects = asStored(e.subjects);
    const data = asStored(e.data);
    // The MAC covers every column as the database will hand it back (see StoredEvent).
    const hash = eventMac(auditKey, {
      id,
      seq: String(seq),
      type: e.type,
      actorId: e.actorId,
      subjects,
      subjectIds: subjects.map((s) => s.id),
      data,
      createdAtUs: microsOf(at),
      prevHash,
    });
    written.push({
      id,
      seq,
      type: e.type,
      actorId: e.actorId,
      subjects,
      data,
      createdAt: at.toISOString(),
      prevHash,
      hash,
    });
    prevHash = hash;
  }
  // In slices: a statement carries at most 65,535 parameters, and a campaign's close appends an event per effect.
  for (let i = 0; i < written.length; i += INSERT_SLICE)
    await trx
      .insertInto('events')
      .values(
        written.slice(i, i + INSERT_SLICE).map((e) => ({
          seq: e.seq,
          id: e.id,
          type: e.type,
          actor_id: e.actorId,
          subjects: JSON.stringify(e.subjects),
          subject_ids: e.subjects.map((s) => s.id),
          data: JSON.stringify(e.data),
          created_at: e.createdAt,
          prev_hash: e.prevHash,
          hash: e.hash,
        })),
      )
      .execute();
  await trx.updateTable('audit_head').set({ seq, hash: prevHash }).where('id', '=', 1).execute();
  // Delivered at commit only: other processes learn that there is something new after their last seq.
  await sql`select pg_notify('latch_events', ${String(seq)})`.execute(trx);
  return written;
}

export interface EventFilter {
  type?: string | undefined;
  actorId?: string | undefined;
  subjectId?: string | undefined;
  /** Events a person did or that are about them: actor or subject. */
  personId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** The cursor: events after this seq in the listing's order (before it, newest first). */
  afterSeq?: number | undefined;
  /** Oldest first (the default) or newest first. */
  order?: 'asc' | 'desc' | undefined;
  /** Restricts to events whose actor or a subject is one of these ids (what a non-auditor may see). */
  visibleTo?: string[] | undefined;
  limit: number;
}

export async function listEvents(db: Kysely<Database>, f: EventFilter): Promise<ChainedEvent[]> {
  const order = f.order ?? 'asc';
  let q = db.selectFrom('events').selectAll().orderBy('seq', order).limit(f.limit);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.subjectId) q = q.where(sql<boolean>`subject_ids @> array[${f.subjectId}]::text[]`);
  if (f.personId) {
    const id = f.personId;
    q = q.where((eb) => eb.or([eb('actor_id', '=', id), sql<boolean>`subject_ids @> array[${id}]::text[]`]));
  }
  if (f.since) q = q.where('created_at', '>=', f.since);
  if (f.until) q = q.where('created_at', '<', f.until);
  if (f.afterSeq !== undefined) q = q.where('seq', order === 'asc' ? '>' : '<', f.afterSeq);
  if (f.visibleTo) {
    const ids = f.visibleTo;
    q = q.where((eb) =>
      eb.or([eb('actor_id', 'in', ids), sql<boolean>`subject_ids && ${sql.val(ids)}::text[]`]),
    );
  }
  return (await q.execute()).map(toChainedEvent);
}

/** Streams the whole chain in seq order, a page at a time, so verification never holds the log in memory. */
export async function* iterateEvents(db: Kysely<Database>, pageSize = 1000): AsyncGenerator<ChainedEvent> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield toChainedEvent(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export const readAuditHead = (db: Kysely<Database>) =>
  db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
