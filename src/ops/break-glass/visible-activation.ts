import type { Activation } from '../../domain/break-glass.js';
import { notFound } from '../../domain/errors.js';
import type { Group } from '../../domain/items.js';
import type { HeldFacts } from '../../domain/policy/facts.js';
import type { Actor } from '../../domain/users.js';
import { findActivation } from '../../store/break-glass.js';
import { findGroup } from '../../store/groups.js';
import { authorize, heldFacts } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';

/** Locks an activation the actor may see (else 404, as for one that does not exist), with its group. */
export async function lockVisibleActivation(
  trx: Tx,
  deps: OpsDeps,
  actor: Actor,
  id: string,
  now: Date,
): Promise<{ activation: Activation; group: Group | undefined; facts: HeldFacts }> {
  const activation = await findActivation(trx, id, now, true);
  if (!activation) throw notFound('break-glass activation', id);
  const group = await findGroup(trx, activation.groupId);
  const facts = heldFacts(deps, actor, activation.userId, group);
  authorize(actor, 'activation', 'view', facts, () => notFound('break-glass activation', id));
  return { activation, group, facts };
}
