import { invalid } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { markSeenThrough } from '../../store/inbox-reads.js';
import type { OpsDeps } from '../shared/deps.js';

/**
 * POST /inbox/read: everything that arrived up to `through` (default now) counts as read by the caller. Only
 * the caller's own reading mark changes, nothing about access, so no audit event is written.
 */
export async function markInboxRead(deps: OpsDeps, actor: Actor, through?: Date): Promise<void> {
  const now = deps.now();
  const at = through ?? now;
  if (at.getTime() > now.getTime()) throw invalid('through', 'must not be in the future');
  await markSeenThrough(deps.db, actor.id, at);
}
