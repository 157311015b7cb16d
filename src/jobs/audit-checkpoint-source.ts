import { nextCheckpointDueAt, writeAuditCheckpoint } from '../ops/audit/write-audit-checkpoint.js';
import type { DueSource } from './due-sources.js';

// Signed checkpoints of the audit chain's head, as the time engine sees them: due once the head has moved past the
// newest checkpoint, at most once a minute, and at once when a process starts (events written just before a
// crash or a stop are covered without waiting for the next minute).

export const AUDIT_CHECKPOINT_SOURCE = 'audit-checkpoint';
export const AUDIT_CHECKPOINT_INTERVAL_MS = 60_000;

/** One per process (it remembers whether this process has made its start-up checkpoint). */
export function auditCheckpointSource(intervalMs = AUDIT_CHECKPOINT_INTERVAL_MS): DueSource {
  let startedUp = false;
  return {
    name: AUDIT_CHECKPOINT_SOURCE,
    nextDueAt: async (deps, now) => {
      const at = await nextCheckpointDueAt(deps, intervalMs);
      if (at === null) startedUp = true; // nothing to checkpoint at start-up
      return at === null || startedUp ? at : now;
    },
    processDue: async (deps) => {
      const signed = await writeAuditCheckpoint(deps, { minGapMs: startedUp ? intervalMs : 0 });
      startedUp = true;
      return { count: signed ? 1 : 0, items: [] };
    },
    wakesOn: () => true,
    spacingMs: intervalMs,
  };
}
