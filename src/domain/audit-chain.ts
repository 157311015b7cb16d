import { createHash } from 'node:crypto';

// The audit log is a hash chain: each event's hash covers its canonical form, which includes the previous
// event's hash, so changing, removing or reordering any stored event breaks every hash after it.

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

export function hashEvent(event: UnhashedEvent): string {
  const { id, seq, type, actorId, subjects, data, createdAt, prevHash } = event;
  const canonical = canonicalJson({ id, seq, type, actorId, subjects, data, createdAt, prevHash });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainState {
  seq: number;
  hash: string;
}

export type VerifyFailure = {
  seq: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' | 'head_mismatch';
};

/**
 * Walks events in seq order from a known state and returns the first break, if any. `expectedSeq` catches a
 * deleted or renumbered row even when an attacker re-hashed what follows it.
 */
export function verifyStep(prev: ChainState, event: ChainedEvent): VerifyFailure | null {
  if (event.seq !== prev.seq + 1) return { seq: Math.min(event.seq, prev.seq + 1), reason: 'seq_gap' };
  if (event.prevHash !== prev.hash) return { seq: event.seq, reason: 'prev_hash_mismatch' };
  if (hashEvent(event) !== event.hash) return { seq: event.seq, reason: 'hash_mismatch' };
  return null;
}
