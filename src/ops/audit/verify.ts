import { keyCheckValue, sameMac, type StoredCheckpoint } from '../../domain/audit-chain.js';
import { ChainWalk, type VerifyReason } from '../../domain/audit-verification.js';
import { readChainHead } from '../../store/audit-chain.js';
import { iterateCheckpoints } from '../../store/audit-checkpoints.js';
import { CheckpointFeed, walkChain } from './walk-chain.js';
import type { Keys } from '../../keys/load-keys.js';
import type { OpsDeps } from '../shared/deps.js';

export interface VerifyResult {
  ok: boolean;
  /** Events verified before the first break (all of them when ok). */
  checked: number;
  firstBadSeq: number | null;
  reason?: VerifyReason | 'wrong_key';
  /** Signed checkpoints the chain passed through: the stored ones, and those given from outside (a SIEM's copy). */
  checkpoints: { stored: number; external: number };
  /** Events before this seq were written before the audit key and follow the unkeyed rule; null: not sealed yet. */
  keyedFromSeq: number | null;
}

/**
 * Verifies the whole log: each event's MAC (its hash, before the seal), links and seq continuity, the seal,
 * every stored checkpoint and any given from outside (each must be signed, and the chain must pass through it:
 * one beyond the end means the newest events were deleted), and that the head row names the last event.
 */
export async function verifyAuditLog(
  deps: Pick<OpsDeps, 'db'> & { keys: Pick<Keys, 'audit'> },
  options: { externalCheckpoints?: StoredCheckpoint[] } = {},
): Promise<VerifyResult> {
  const key = deps.keys.audit;
  // One snapshot of the head and the newest checkpoint; what is appended while the walk runs is left for later.
  const head = await readChainHead(deps.db);
  const keyedFromSeq = head.seal?.keyedFromSeq ?? null;
  const counts = (stored: number, external: number) => ({ checkpoints: { stored, external }, keyedFromSeq });
  if (head.keyCheck !== null && !sameMac(head.keyCheck, keyCheckValue(key)))
    return { ok: false, checked: 0, firstBadSeq: null, reason: 'wrong_key', ...counts(0, 0) };
  const newestSeq = head.newestCheckpoint?.seq ?? 0;
  const stored = CheckpointFeed.of(boundedBy(iterateCheckpoints(deps.db), Math.max(head.seq, newestSeq)));
  const external = CheckpointFeed.of(options.externalCheckpoints ?? []);
  const walk = new ChainWalk(key, head.seal);
  const failure = await walkChain(deps.db, walk, head, [stored, external]);
  const result = { checked: walk.checked, ...counts(stored.matched, external.matched) };
  return failure
    ? { ok: false, firstBadSeq: failure.seq, reason: failure.reason, ...result }
    : { ok: true, firstBadSeq: null, ...result };
}

/** Checkpoints made after the snapshot are not part of what is being verified. */
async function* boundedBy(checkpoints: AsyncIterable<StoredCheckpoint>, maxSeq: number) {
  for await (const c of checkpoints) {
    if (Number(c.seq) > maxSeq) return;
    yield c;
  }
}
