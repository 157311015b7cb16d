import {
  AuditKeyMismatchError,
  checkpointMac,
  keyCheckValue,
  sameMac,
  UnsealedChainError,
  type ChainState,
} from '../../domain/audit-chain.js';
import { ChainBrokenError, ChainWalk } from '../../domain/audit-verification.js';
import { lockChainHead, readChainHead } from '../../store/audit-chain.js';
import { newestCheckpoint } from '../../store/audit-checkpoints.js';
import type { OpsDeps } from '../shared/deps.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { walkChain } from './walk-chain.js';

// Signed checkpoints of the head, so a log cut short is caught: verification fails when the chain ends before a
// checkpoint. One per head across processes: the head row is locked, the newest checkpoint re-read, then the
// checkpoint written only if it is still due. Latch signs only what verifies, from the newest checkpoint on.
// A checkpoint writes no audit event: one would move the head it has just signed.

/** Due when the head has moved past the newest checkpoint, `intervalMs` after that checkpoint was made. */
export async function nextCheckpointDueAt(
  deps: Pick<OpsDeps, 'db'>,
  intervalMs: number,
): Promise<Date | null> {
  const head = await readChainHead(deps.db);
  const newest = head.newestCheckpoint;
  if (head.seq === 0 || (newest && newest.seq >= head.seq)) return null;
  return new Date(newest ? newest.createdAt.getTime() + intervalMs : 0);
}

/**
 * Checkpoints the head if it moved since the newest checkpoint and that one is at least `minGapMs` old (0 at
 * start-up). Returns what it signed, or null when nothing was due (or another process did it first).
 */
export async function writeAuditCheckpoint(
  deps: OpsDeps,
  opts: { minGapMs: number },
): Promise<ChainState | null> {
  const key = deps.keys.audit;
  const head = await readChainHead(deps.db);
  if (head.keyCheck === null) throw new UnsealedChainError('the audit log has no seal: it was removed');
  if (!sameMac(head.keyCheck, keyCheckValue(key))) throw new AuditKeyMismatchError();
  const newest = await newestCheckpoint(deps.db);
  if (head.seq === 0 || (newest && Number(newest.seq) >= head.seq)) return null;
  let from: ChainState | undefined;
  if (newest) {
    if (!sameMac(checkpointMac(key, newest), newest.mac))
      throw new ChainBrokenError(
        { seq: Number(newest.seq), reason: 'checkpoint_mac_mismatch' },
        'no checkpoint was written',
      );
    from = { seq: Number(newest.seq), hash: newest.hash };
  }
  // Outside the lock: writers are not held up while the events since the last checkpoint are checked.
  const failure = await walkChain(deps.db, new ChainWalk(key, head.seal, from), head);
  if (failure) throw new ChainBrokenError(failure, 'no checkpoint was written');
  return deps.db.transaction().execute(async (trx) => {
    await lockChainHead(trx);
    const latest = await newestCheckpoint(trx);
    const now = deps.now();
    if (latest && Number(latest.seq) >= head.seq) return null;
    if (latest && now.getTime() - latest.createdAt.getTime() < opts.minGapMs) return null;
    await signCheckpoint(trx, key, head, now);
    return { seq: head.seq, hash: head.hash };
  });
}
