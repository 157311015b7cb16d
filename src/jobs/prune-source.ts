import { nextPruneAt, pruneHistory } from '../ops/retention/prune-history.js';
import type { DueSource } from './due-sources.js';

/**
 * Pruning is never urgent: it runs at most once an hour, however many rows become prunable in between, and does
 * what is due in batches, one transaction and one `retention.pruned` event each.
 */
export const PRUNE_SPACING_MS = 60 * 60 * 1000;

export const pruneSource: DueSource = {
  name: 'retention-prune',
  nextDueAt: (deps) => nextPruneAt(deps),
  async processDue(deps, now, limit) {
    const counts = await pruneHistory(deps, limit, now);
    // Counted as the largest, so the scheduler asks for another batch while any table had a full one.
    return { count: Math.max(counts.notices, counts.sessions, counts.idempotencyKeys), items: [] };
  },
  // No event brings pruning forward: new rows become prunable only after their retention.
  wakesOn: () => false,
  spacingMs: PRUNE_SPACING_MS,
};
