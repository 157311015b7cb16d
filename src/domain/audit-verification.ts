import {
  checkpointMac,
  eventMac,
  GENESIS_HASH,
  hashEvent,
  isoOfMicros,
  NotCanonicalError,
  sameMac,
  sealMac,
  strictCanonicalJson,
  type ChainSeal,
  type ChainState,
  type StoredCheckpoint,
  type StoredEvent,
  type Subject,
} from './audit-chain.js';

// Verification walks the chain in seq order and stops at the first break. Besides each event's own MAC it checks
// seq continuity and links (a deleted or reordered row), the seal (which rule applies where), signed checkpoints
// (the chain must pass through each, and none may lie beyond its end: a truncated log) and the head row.

export type VerifyReason =
  | 'seq_gap'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'mac_mismatch'
  | 'seal_mismatch'
  | 'checkpoint_mac_mismatch'
  | 'checkpoint_mismatch'
  | 'truncated'
  | 'head_mismatch';

export interface VerifyFailure {
  seq: number;
  reason: VerifyReason;
}

/** What each failure means, for people reading a report. */
export const VERIFY_REASONS: Record<VerifyReason | 'wrong_key', string> = {
  seq_gap: 'an event is missing or out of order',
  prev_hash_mismatch: 'an event does not link to the one before it',
  hash_mismatch: 'an event written before the audit key was altered',
  mac_mismatch: 'an event was altered: its MAC does not match',
  seal_mismatch: 'the seal between unkeyed and keyed events was altered',
  checkpoint_mac_mismatch: 'a checkpoint was altered or forged: its MAC does not match',
  checkpoint_mismatch: 'the chain no longer passes through a signed checkpoint: events were rewritten',
  truncated: 'a signed checkpoint lies beyond the end of the chain: the newest events were deleted',
  head_mismatch: 'the head row does not match the last event',
  wrong_key: 'the audit key is not the one this log was sealed with',
};

const NOT_KEYED = Number.POSITIVE_INFINITY;

/**
 * One pass over the chain. Give it events in seq order, and each checkpoint once every event up to the
 * checkpoint's seq has been given (the rest at the end), then the head row. Each call answers the first break.
 */
export class ChainWalk {
  private state: ChainState;
  private readonly keyedFrom: number;
  checked = 0;

  /**
   * `seal` null: the log has not been sealed yet, so every event follows the unkeyed rule. `from` starts the walk
   * at a trusted point (a checkpoint whose MAC was checked) instead of the start of the chain.
   */
  constructor(
    private readonly key: Buffer,
    private readonly seal: ChainSeal | null,
    from: ChainState = { seq: 0, hash: GENESIS_HASH },
  ) {
    this.state = { ...from };
    this.keyedFrom = seal?.keyedFromSeq ?? NOT_KEYED;
  }

  get position(): ChainState {
    return { ...this.state };
  }

  event(e: StoredEvent): VerifyFailure | null {
    const expected = this.state.seq + 1;
    if (e.seq !== String(expected)) {
      const seq = Number(e.seq);
      return { seq: Number.isFinite(seq) ? Math.min(seq, expected) : expected, reason: 'seq_gap' };
    }
    if (e.prevHash !== this.state.hash) return { seq: expected, reason: 'prev_hash_mismatch' };
    if (expected === this.keyedFrom && !this.sealHolds()) return { seq: expected, reason: 'seal_mismatch' };
    const keyed = expected >= this.keyedFrom;
    if (!(keyed ? macHolds(this.key, e) : unkeyedHashHolds(e)))
      return { seq: expected, reason: keyed ? 'mac_mismatch' : 'hash_mismatch' };
    this.state = { seq: expected, hash: e.hash };
    this.checked++;
    return null;
  }

  checkpoint(c: StoredCheckpoint): VerifyFailure | null {
    const seq = Number(c.seq);
    if (!/^\d+$/.test(c.seq) || !sameMac(checkpointMac(this.key, c), c.mac))
      return { seq: Number.isFinite(seq) ? seq : this.state.seq, reason: 'checkpoint_mac_mismatch' };
    if (seq > this.state.seq) return { seq: this.state.seq + 1, reason: 'truncated' };
    if (seq < this.state.seq) throw new Error(`checkpoint ${seq} given after event ${this.state.seq}`);
    if (c.hash !== this.state.hash) return { seq, reason: 'checkpoint_mismatch' };
    return null;
  }

  /** After the last event: the seal must have been reached and the head row must name the last event. */
  end(head: ChainState): VerifyFailure | null {
    const next = this.state.seq + 1;
    if (this.seal && next < this.keyedFrom) return { seq: next, reason: 'truncated' };
    if (next === this.keyedFrom && !this.sealHolds()) return { seq: next, reason: 'seal_mismatch' };
    if (head.seq !== this.state.seq || head.hash !== this.state.hash)
      return { seq: next, reason: 'head_mismatch' };
    return null;
  }

  /** The seal is checked where it sits: against the chain's hash just before the first keyed event. */
  private sealHolds(): boolean {
    return sameMac(sealMac(this.key, this.keyedFrom, this.state.hash), this.seal!.mac);
  }
}

function macHolds(key: Buffer, e: StoredEvent): boolean {
  try {
    return sameMac(eventMac(key, e), e.hash);
  } catch (err) {
    if (err instanceof NotCanonicalError) return false;
    throw err;
  }
}

/**
 * The unkeyed rule did not cover `subject_ids` or the time's microseconds, but its writer derived both: the ids
 * from the subjects, the time from a JavaScript Date. Anything else was changed after it was written.
 */
function unkeyedHashHolds(e: StoredEvent): boolean {
  const createdAt = isoOfMicros(e.createdAtUs);
  if (createdAt === null || !Array.isArray(e.subjects) || !Array.isArray(e.subjectIds)) return false;
  const subjects = e.subjects as Subject[];
  try {
    strictCanonicalJson([e.subjects, e.data]);
  } catch (err) {
    if (err instanceof NotCanonicalError) return false;
    throw err;
  }
  const derivedIds = subjects.map((s) => (s !== null && typeof s === 'object' ? s.id : undefined));
  if (strictCanonicalJson(e.subjectIds) !== JSON.stringify(derivedIds)) return false;
  const unhashed = {
    id: e.id,
    seq: Number(e.seq),
    type: e.type,
    actorId: e.actorId,
    subjects,
    data: e.data,
    createdAt,
    prevHash: e.prevHash,
  };
  return sameMac(hashEvent(unhashed), e.hash);
}

/** The log failed verification where Latch was about to vouch for it (sealing it, signing a checkpoint). */
export class ChainBrokenError extends Error {
  constructor(
    readonly failure: VerifyFailure,
    consequence: string,
  ) {
    super(
      `the audit log fails verification at seq ${failure.seq} (${failure.reason}: ${VERIFY_REASONS[failure.reason]}); ${consequence}`,
    );
  }
}
