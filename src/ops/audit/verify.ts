import type { Kysely } from 'kysely';
import { GENESIS_HASH, verifyStep, type ChainState } from '../../domain/audit-chain.js';
import { iterateEvents, readAuditHead } from '../../store/events.js';
import type { Database } from '../../store/schema.js';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  reason?: string;
}

/**
 * Recomputes the whole chain. Besides each event's own hash it checks seq continuity and that the chain ends
 * where the head row says, so deleting rows (anywhere, including the end) is detected.
 */
export async function verifyAuditLog(db: Kysely<Database>): Promise<VerifyResult> {
  let state: ChainState = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const event of iterateEvents(db)) {
    const failure = verifyStep(state, event);
    if (failure) return { ok: false, checked, firstBadSeq: failure.seq, reason: failure.reason };
    state = { seq: event.seq, hash: event.hash };
    checked++;
  }
  const head = await readAuditHead(db);
  if (Number(head.seq) !== state.seq || head.hash !== state.hash) {
    return { ok: false, checked, firstBadSeq: state.seq + 1, reason: 'head_mismatch' };
  }
  return { ok: true, checked, firstBadSeq: null };
}
