import { checkpointMac, microsOf, type ChainState } from '../../domain/audit-chain.js';
import { insertCheckpoint } from '../../store/audit-checkpoints.js';
import type { Tx } from '../shared/deps.js';

/** Records a checkpoint of the chain at `at`, signed with the audit key; the caller holds the head lock. */
export async function signCheckpoint(trx: Tx, key: Buffer, at: ChainState, now: Date): Promise<void> {
  const mac = checkpointMac(key, { seq: String(at.seq), hash: at.hash, createdAtUs: microsOf(now) });
  await insertCheckpoint(trx, { seq: at.seq, hash: at.hash, createdAt: now, mac });
}
