import type { Target } from '../domain/access-facts.js';
import { RetryLaterError } from '../domain/errors.js';
import type { AccessIndex } from './access-index.js';
import type { FreshnessState, IndexFreshness } from './index-freshness.js';
import type { KnownIds } from './known-ids.js';

// What operations may ask of the access index. Every question first asks whether the index may answer: one
// that knows it is stale refuses (503 index_behind) rather than give a stale "allowed" or a stale "denied".

export type IndexReader = Pick<
  AccessIndex,
  'check' | 'isAllowed' | 'accessEnd' | 'userAccess' | 'members'
> & {
  /** What the question names that does not exist (a user, a group, a resource or its level), if anything. */
  unknownIn(userId: string, target: Target): string | undefined;
  hasUser(userId: string): boolean;
  /** Whether the index may answer now (readiness reports it). */
  freshness(): FreshnessState;
  /** The last audit event the index has applied: its answers are as of this event. */
  appliedSeq(): number;
};

export function freshReader(
  index: AccessIndex,
  known: KnownIds,
  freshness: IndexFreshness,
  appliedSeq: () => number,
): IndexReader {
  const fresh = () => {
    const state = freshness.state();
    if (!state.answers)
      throw new RetryLaterError(
        'index_behind',
        `access answers are paused: ${state.reason}; they resume once it has caught up`,
        1,
      );
  };
  return {
    check: (userId, target, now) => (fresh(), index.check(userId, target, now)),
    isAllowed: (userId, target, now) => (fresh(), index.isAllowed(userId, target, now)),
    accessEnd: (userId, target, now) => (fresh(), index.accessEnd(userId, target, now)),
    userAccess: (userId, now) => (fresh(), index.userAccess(userId, now)),
    members: (target, now) => (fresh(), index.members(target, now)),
    unknownIn: (userId, target) => (fresh(), known.unknownIn(userId, target)),
    hasUser: (userId) => (fresh(), known.hasUser(userId)),
    freshness: () => freshness.state(),
    appliedSeq,
  };
}
