import type { Subject } from '../../domain/audit-chain.js';
import type { ErrorCode } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { RefusalThrottle } from './refusal-throttle.js';

// A change the policy refused is itself on record, so an item's owners see attempts on their items and admins
// see who probes for what. The refused change rolled back; this event is written in a transaction of its own.

/** The refusals recorded: the policy's answer, and its two named cases from the API contract. */
export const RECORDED_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'forbidden',
  'not_break_glass_user',
  'self_review_forbidden',
]);

export interface Refusal {
  actor: Actor;
  method: string;
  /** The route as declared, with its parameters named: `/groups/:id/assets`. */
  route: string;
  code: ErrorCode;
  /** The objects the path names (their ids), so the event shows up for those who own them. */
  subjects: Subject[];
}

/** Writes `authorization.refused`, at most once per actor, route and code per window (the throttle's). */
export async function recordRefusal(
  deps: Pick<OpsDeps, 'db' | 'keys' | 'afterCommit' | 'now'>,
  throttle: RefusalThrottle,
  refusal: Refusal,
): Promise<void> {
  if (!RECORDED_REFUSALS.has(refusal.code)) return;
  const route = `${refusal.method} ${refusal.route}`;
  const admitted = throttle.admit(`${refusal.actor.id}\u0000${route}\u0000${refusal.code}`, deps.now());
  if (!admitted) return;
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'authorization.refused',
        actorId: refusal.actor.id,
        subjects: refusal.subjects,
        data: {
          method: refusal.method,
          route,
          code: refusal.code,
          count: admitted.count,
          since: new Date(admitted.since).toISOString(),
        },
      },
    ],
  }));
}
