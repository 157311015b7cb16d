import { lockDueStarts, markStartsRecorded } from '../../store/due-grants.js';
import type { OpsDeps } from '../shared/deps.js';
import type { ProcessedItem } from './expire.js';
import { grantSubjects } from './notices.js';
import { runInTransaction } from '../shared/transaction.js';

/**
 * Writes `grant.started`, dated at the start, for up to `limit` grants whose scheduled start has come. Access
 * needs no change (status is derived from the window); the event makes the start visible in the audit log.
 * Rows are taken FOR UPDATE SKIP LOCKED and marked, so each start is recorded once across processes.
 */
export async function recordGrantStarts(
  deps: OpsDeps,
  limit = 500,
  now = deps.now(),
): Promise<ProcessedItem[]> {
  return runInTransaction(deps, async (trx) => {
    const due = await lockDueStarts(trx, now, limit);
    const started = await markStartsRecorded(
      trx,
      due.map((r) => r.id),
      now,
    );
    return {
      result: started.map((g) => ({ id: g.id, dueAt: g.starts_at })),
      events: started.map((g) => ({
        type: 'grant.started',
        actorId: null,
        subjects: grantSubjects(g),
        data: {
          source: g.source,
          startsAt: g.starts_at.toISOString(),
          expiresAt: g.expires_at?.toISOString() ?? null,
        },
        at: g.starts_at,
      })),
    };
  });
}
