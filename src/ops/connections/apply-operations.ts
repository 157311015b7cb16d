import { hasWork, nextStep, plannedStatus, type Step } from '../../domain/connections/provisioning-plan.js';
import type { NewEvent } from '../../store/events.js';
import {
  deleteSettledOfItem,
  deleteSettledPairs,
  leaseDueAccounts,
  lockLeasedMany,
  recordAttempts,
  releaseLeases,
  type LeaseScope,
  type AttemptRecord,
  nextAttemptAt,
  recordAttempt,
  toState,
} from '../../store/provisioned-accounts.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

// The outbox of remote operations: rows with work, leased to one replica at a time, each applied one step at a
// time (an account that changed is taken out before the new one goes in) and its outcome recorded with its
// event. A lease that runs out (the replica died mid-call) is taken over; the step is idempotent in the target.

export interface Operation {
  itemId: string;
  userId: string;
  connectionId: string;
  remoteId: string;
  step: Exclude<Step, { kind: 'none' }>;
  attempts: number;
}

export type Outcome =
  | { kind: 'applied'; changed: boolean; sessionsEnded?: boolean }
  | { kind: 'no_account'; detail: string }
  | { kind: 'failed'; detail: string; retryable: boolean };

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Leases up to `limit` due operations: none of a connection in `busy` (its worker is still at it), or, for that
 * worker going on, only those of its own connection.
 */
export async function leaseOperations(
  deps: OpsDeps,
  owner: string,
  leaseMs: number,
  limit: number,
  scope: LeaseScope,
): Promise<Operation[]> {
  const now = deps.now();
  const rows = await leaseDueAccounts(deps.db, owner, now, new Date(now.getTime() + leaseMs), limit, scope);
  const out: Operation[] = [];
  const settled: typeof rows = [];
  for (const r of rows) {
    const step = nextStep(toState(r));
    // A row with nothing left to do (settled by a plan after it was queued) is recorded as done.
    if (step.kind === 'none') {
      settled.push(r);
      continue;
    }
    out.push({
      itemId: r.item_id,
      userId: r.user_id,
      connectionId: r.connection_id,
      remoteId: r.remote_id,
      step,
      attempts: r.attempts,
    });
  }
  if (settled.length > 0)
    await runInTransaction(deps, async (trx) => {
      for (const r of settled) {
        const status = plannedStatus(toState(r));
        await recordAttempt(
          trx,
          r.item_id,
          r.user_id,
          { appliedAccount: r.applied_account, status, detail: r.detail, attempts: 0, nextAttemptAt: null },
          now,
        );
        await deleteSettledOfItem(trx, r.item_id, r.user_id);
      }
      return { result: undefined, events: [] };
    });
  return out;
}

/** Gives back the leases of operations leased but not applied, so that no one waits for them to run out. */
export async function releaseOperations(deps: OpsDeps, owner: string, ops: readonly Operation[]): Promise<void> {
  await releaseLeases(
    deps.db,
    ops.map((o) => [o.itemId, o.userId] as const),
    owner,
  );
}

export const nextOperationAt = (deps: Pick<OpsDeps, 'db'>, busy: readonly string[]) =>
  nextAttemptAt(deps.db, busy);

const backoff = (attempts: number, p: RetryPolicy) =>
  Math.min(p.capMs, p.baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Records what happened to each leased operation, in one transaction with the events of the changes made. A row
 * whose lease was lost meanwhile (taken over after a stall) is left to its new holder.
 */
export async function recordOutcomes(
  deps: OpsDeps,
  owner: string,
  results: readonly { op: Operation; outcome: Outcome }[],
  retry: RetryPolicy = { baseMs: 1_000, capMs: 30_000 },
): Promise<void> {
  if (results.length === 0) return;
  await runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const events: NewEvent[] = [];
    const records: AttemptRecord[] = [];
    const settled: [string, string][] = [];
    const held = new Map(
      (
        await lockLeasedMany(
          trx,
          results.map((r) => [r.op.itemId, r.op.userId] as const),
          owner,
        )
      ).map((r) => [`${r.item_id}\u0000${r.user_id}`, r]),
    );
    for (const { op, outcome } of results) {
      const row = held.get(`${op.itemId}\u0000${op.userId}`);
      if (!row) continue;
      const state = toState(row);
      const subjects = [
        { type: 'user', id: op.userId },
        { type: row.item_id.startsWith('res_') ? 'resource' : 'group', id: op.itemId },
        { type: 'connection', id: op.connectionId },
      ];
      const data = { remoteId: op.remoteId, account: op.step.account };
      const record = (f: Omit<AttemptRecord, 'itemId' | 'userId'>) =>
        records.push({ itemId: op.itemId, userId: op.userId, ...f });
      if (outcome.kind === 'applied') {
        const applied = op.step.kind === 'add' ? op.step.account : null;
        const after = { ...state, appliedAccount: applied };
        const more = hasWork(after);
        record({
          appliedAccount: applied,
          status: more
            ? 'pending'
            : after.wanted
              ? after.account === null
                ? 'no_account'
                : 'synced'
              : 'synced',
          detail: null,
          attempts: 0,
          nextAttemptAt: more ? now : null,
        });
        if (!after.wanted && !more) settled.push([op.itemId, op.userId]);
        // Every step done is recorded, whether it changed the target or found it so: a retry after a step that
        // took effect but failed later (ending sessions, say) still records the grant or the revocation.
        events.push({
          type: op.step.kind === 'add' ? 'provisioning.granted' : 'provisioning.revoked',
          actorId: null,
          subjects,
          data: {
            ...data,
            changed: outcome.changed,
            ...(op.step.kind === 'remove' && outcome.sessionsEnded !== undefined
              ? { sessionsEnded: outcome.sessionsEnded }
              : {}),
          },
        });
        continue;
      }
      if (outcome.kind === 'no_account') {
        record({
          appliedAccount: state.appliedAccount,
          status: 'no_account',
          detail: outcome.detail,
          attempts: 0,
          nextAttemptAt: null,
        });
        continue;
      }
      const attempts = row.attempts + 1;
      record({
        appliedAccount: state.appliedAccount,
        status: 'failed',
        detail: outcome.detail,
        attempts,
        // One that will fail again waits for the next sync (or a change); a target that is down is retried.
        nextAttemptAt: outcome.retryable ? new Date(now.getTime() + backoff(attempts, retry)) : null,
      });
      // The first failure of an operation is recorded; its retries are not, until one succeeds.
      if (row.attempts === 0)
        events.push({
          type: 'provisioning.failed',
          actorId: null,
          subjects,
          data: { ...data, action: op.step.kind, retrying: outcome.retryable },
        });
    }
    await recordAttempts(trx, records, now);
    await deleteSettledPairs(trx, settled);
    return { result: undefined, events };
  });
}
