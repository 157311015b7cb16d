import {
  AuditKeyMismatchError,
  GENESIS_HASH,
  keyCheckValue,
  sameMac,
  sealAfter,
  UnsealedChainError,
} from '../../domain/audit-chain.js';
import { ChainBrokenError, ChainWalk } from '../../domain/audit-verification.js';
import { lockChainHead, readChainHead, writeSeal, type ChainHead } from '../../store/audit-chain.js';
import { anyCheckpoint } from '../../store/audit-checkpoints.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { walkChain } from './walk-chain.js';

// Start-up, before anything writes an event: refuse a key other than the one the log was sealed with, and on the
// first start with a key, seal the log. Events written before (hashed without a key, so anyone could have
// re-hashed them) are verified under that rule up to the head, and the head is then signed: a checkpoint, and a
// seal naming the first seq of the keyed rule. From then on every event carries an HMAC under the key.

export interface SealOutcome {
  /** True when this start sealed the log. */
  sealedNow: boolean;
  /** Events written before the key, which follow the unkeyed rule. */
  unkeyedEvents: number;
}

export async function sealAuditChain(deps: Pick<OpsDeps, 'db' | 'now' | 'keys'>): Promise<SealOutcome> {
  const key = deps.keys.audit;
  const head = await readChainHead(deps.db);
  if (head.keyCheck !== null) return checkedKey(head, key);
  return runInTransaction(deps, async (trx) => {
    const locked = await lockChainHead(trx);
    if (locked.keyCheck !== null) return { result: checkedKey(locked, key), events: [] };
    if (locked.seq === 0) {
      await writeSeal(trx, sealAfter(key, { seq: 0, hash: GENESIS_HASH }));
      return { result: { sealedNow: true, unkeyedEvents: 0 }, events: [] };
    }
    // Checkpoints are only ever written under a seal: a log that has them but no seal has had its seal removed.
    if (await anyCheckpoint(trx))
      throw new UnsealedChainError(
        'the audit log has signed checkpoints but no seal: the seal was removed from the database; ' +
          'restore the database from a backup and check it with `latch audit verify`',
      );
    const failure = await walkChain(trx, new ChainWalk(key, null), locked);
    if (failure)
      throw new ChainBrokenError(
        failure,
        'it was changed before the audit key was configured, so Latch will not seal it: restore the database from a backup',
      );
    await writeSeal(trx, sealAfter(key, locked));
    const now = deps.now();
    await signCheckpoint(trx, key, locked, now);
    return {
      result: { sealedNow: true, unkeyedEvents: locked.seq },
      events: [
        {
          type: 'audit_log.sealed',
          actorId: null,
          subjects: [],
          data: { unkeyedThroughSeq: locked.seq, hash: locked.hash },
          at: now,
        },
      ],
    };
  });
}

function checkedKey(head: ChainHead, key: Buffer): SealOutcome {
  if (!sameMac(head.keyCheck!, keyCheckValue(key))) throw new AuditKeyMismatchError();
  return { sealedNow: false, unkeyedEvents: (head.seal?.keyedFromSeq ?? 1) - 1 };
}
