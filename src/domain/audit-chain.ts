import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// The audit log is a chain: each event's `hash` covers the event and the previous event's `hash`, so changing,
// removing or reordering a stored event breaks every link after it. Events are sealed with an HMAC under the
// audit key, which is held outside the database, so someone who can write to the database cannot recompute
// them. Events written before Latch had the key carry a plain SHA-256 (the unkeyed rule, `hashEvent`); the seal
// records from which seq the keyed rule applies, and signed checkpoints of the head catch a truncated log.

export interface Subject {
  type: string;
  id: string;
}

export interface ChainedEvent {
  id: string;
  seq: number;
  type: string;
  actorId: string | null;
  subjects: Subject[];
  data: unknown;
  createdAt: string;
  prevHash: string;
  hash: string;
}

export type UnhashedEvent = Omit<ChainedEvent, 'hash'>;

/** The hash that precedes the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same event always serialises to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The unkeyed rule, which events written before the seal follow: SHA-256 of some columns, recomputable by anyone. */
export function hashEvent(event: UnhashedEvent): string {
  const { id, seq, type, actorId, subjects, data, createdAt, prevHash } = event;
  const canonical = canonicalJson({ id, seq, type, actorId, subjects, data, createdAt, prevHash });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainState {
  seq: number;
  hash: string;
}

/**
 * An event row exactly as the database hands it back, every stored column: `seq` and `createdAtUs` (microseconds
 * since the epoch) as decimal text so no precision is lost, jsonb columns as parsed, and the text array as is.
 */
export interface StoredEvent {
  id: string;
  seq: string;
  type: string;
  actorId: string | null;
  subjects: unknown;
  subjectIds: unknown;
  data: unknown;
  createdAtUs: string;
  prevHash: string;
  hash: string;
}

/** A signed checkpoint: the chain's `hash` at `seq`, as of `createdAtUs`. */
export interface StoredCheckpoint {
  seq: string;
  hash: string;
  createdAtUs: string;
  mac: string;
}

/** Which rule applies from which seq, and a MAC over that boundary so it cannot be moved. */
export interface ChainSeal {
  keyedFromSeq: number;
  mac: string;
}

export class NotCanonicalError extends Error {}

/**
 * Canonical JSON that refuses whatever JSON cannot carry (non-finite numbers, undefined, non-plain objects), so
 * that distinct values never share a form: Infinity from a jsonb 1e400 must not pass for the null it prints as.
 */
export function strictCanonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${Array.from(value, strictCanonicalJson).join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new NotCanonicalError('not a plain object');
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${strictCanonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new NotCanonicalError(`a ${typeof value} has no JSON form`);
  }
}

// Each kind of MAC starts with its own label, so a MAC of one kind can never stand for another.
const EVENT_LABEL = 'latch.audit.event.v1';
const CHECKPOINT_LABEL = 'latch.audit.checkpoint.v1';
const SEAL_LABEL = 'latch.audit.seal.v1';
const KEY_CHECK_LABEL = 'latch.audit.key-check.v1';

const hmac = (key: Buffer, fields: unknown[]) =>
  createHmac('sha256', key).update(strictCanonicalJson(fields), 'utf8').digest('hex');

/**
 * What an event's MAC covers: every stored column, in a fixed order, as one JSON array. JSON is unambiguous, so
 * two rows that differ in any column (or in where one column ends and the next begins) never share a form.
 */
export function eventMacInput(e: Omit<StoredEvent, 'hash'>): string {
  const { id, seq, type, actorId, subjects, subjectIds, data, createdAtUs, prevHash } = e;
  return strictCanonicalJson([
    EVENT_LABEL,
    id,
    seq,
    type,
    actorId,
    subjects,
    subjectIds,
    data,
    createdAtUs,
    prevHash,
  ]);
}

/** The keyed rule: HMAC-SHA-256 under the audit key over `eventMacInput`. */
export const eventMac = (key: Buffer, e: Omit<StoredEvent, 'hash'>): string =>
  createHmac('sha256', key).update(eventMacInput(e), 'utf8').digest('hex');

export const checkpointMac = (key: Buffer, c: Omit<StoredCheckpoint, 'mac'>): string =>
  hmac(key, [CHECKPOINT_LABEL, c.seq, c.hash, c.createdAtUs]);

/** Binds the seq from which the keyed rule applies to the chain's hash just before it. */
export const sealMac = (key: Buffer, keyedFromSeq: number, hashBefore: string): string =>
  hmac(key, [SEAL_LABEL, String(keyedFromSeq), hashBefore]);

/** Stored with the seal: tells at start-up whether the configured key is the one the log was sealed with. */
export const keyCheckValue = (key: Buffer): string => hmac(key, [KEY_CHECK_LABEL]);

/** The seal of a chain whose head is `head`: later events follow the keyed rule (a fresh log: all of them). */
export const sealAfter = (key: Buffer, head: ChainState): ChainSeal & { keyCheck: string } => ({
  keyedFromSeq: head.seq + 1,
  mac: sealMac(key, head.seq + 1, head.hash),
  keyCheck: keyCheckValue(key),
});

/** Constant-time comparison of two hex MACs; anything malformed is simply unequal. */
export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Microseconds since the epoch as decimal text: how the chain records a JavaScript time. */
export const microsOf = (at: Date): string => (BigInt(at.getTime()) * 1000n).toString();

/** The ISO time of a microsecond count, when it is a whole millisecond JavaScript can represent. */
export function isoOfMicros(us: string): string | null {
  if (!/^-?\d+$/.test(us)) return null;
  const n = BigInt(us);
  if (n % 1000n !== 0n) return null;
  const at = new Date(Number(n / 1000n));
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

export class AuditKeyMismatchError extends Error {
  constructor() {
    super(
      'the audit key is not the one this audit log was sealed with: start Latch with the original key ' +
        '(LATCH_AUDIT_KEY, or the audit.key file of the embedded data directory)',
    );
  }
}

export class UnsealedChainError extends Error {}
