import type { ChainedEvent } from '../../domain/audit-chain.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { listEvents as storeListEvents, type EventFilter } from '../../store/events.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { itemsOwnedBy } from '../shared/ownership.js';
import { verifyAuditLog, type VerifyResult } from './verify.js';

// Reads of the audit log: admins and auditors see every event; others those that name them (as actor or
// subject) and those about the items they own.

export async function listEvents(
  deps: OpsDeps,
  actor: Actor,
  f: Omit<EventFilter, 'visibleTo'>,
): Promise<ChainedEvent[]> {
  const visibleTo = can(actor, 'audit', 'readAll', {})
    ? undefined
    : [actor.id, ...(await itemsOwnedBy(deps, actor.id, deps.now()))];
  return storeListEvents(deps.db, { ...f, visibleTo });
}

export async function verifyAuditTrail(deps: OpsDeps, actor: Actor): Promise<VerifyResult> {
  authorize(actor, 'audit', 'verify', {}, 'only admins and auditors can verify the audit log');
  return verifyAuditLog(deps);
}
