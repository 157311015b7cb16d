import {
  IDEMPOTENCY_KEY_RETENTION_MS,
  idempotencyKeysPrunableBefore,
  noticePrunableAt,
  noticesPrunableBefore,
  sessionPrunableAt,
  sessionsPrunableBefore,
} from '../../domain/retention.js';
import { pruneIdempotencyKeys } from '../../store/idempotency-keys.js';
import { oldestPrunable, pruneEndedSessions, pruneFinishedNotices } from '../../store/retention.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

export interface PruneCounts {
  notices: number;
  sessions: number;
  idempotencyKeys: number;
}

/**
 * Deletes one batch (at most `limit` of each) of finished notices and ended sessions past their retention, and
 * records what it deleted as one `retention.pruned` event in the same transaction: counts, never one event per
 * row. A batch that deletes nothing writes nothing. Events and grants are never touched.
 */
export async function pruneHistory(deps: OpsDeps, limit: number, now = deps.now()): Promise<PruneCounts> {
  return runInTransaction(deps, async (trx) => {
    const noticesBefore = noticesPrunableBefore(now);
    const sessionsBefore = sessionsPrunableBefore(now);
    const counts = {
      notices: await pruneFinishedNotices(trx, noticesBefore, limit),
      sessions: await pruneEndedSessions(trx, sessionsBefore, limit),
      idempotencyKeys: await pruneIdempotencyKeys(trx, idempotencyKeysPrunableBefore(now), limit),
    };
    if (counts.notices + counts.sessions + counts.idempotencyKeys === 0)
      return { result: counts, events: [] };
    return {
      result: counts,
      events: [
        {
          type: 'retention.pruned',
          actorId: null,
          subjects: [],
          data: {
            ...counts,
            noticesCreatedBefore: noticesBefore.toISOString(),
            sessionsEndedBefore: sessionsBefore.toISOString(),
          },
          at: now,
        },
      ],
    };
  });
}

/** When the oldest finished record becomes prunable; null when there is none. */
export async function nextPruneAt(deps: Pick<OpsDeps, 'db'>): Promise<Date | null> {
  const oldest = await oldestPrunable(deps.db);
  const times = [
    oldest.noticeCreatedAt && noticePrunableAt(oldest.noticeCreatedAt),
    oldest.sessionExpiresAt && sessionPrunableAt(oldest.sessionExpiresAt),
    oldest.keyCreatedAt && new Date(oldest.keyCreatedAt.getTime() + IDEMPOTENCY_KEY_RETENTION_MS),
  ].filter((t): t is Date => t !== null);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
}
