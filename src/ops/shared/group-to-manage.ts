import { notFound } from '../../domain/errors.js';
import type { Group } from '../../domain/items.js';
import type { ActionOf } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { findGroup } from '../../store/groups.js';
import { authorize, itemFacts } from './authorization.js';
import type { OpsDeps, Tx } from './deps.js';

/** Locks the group one of whose settings is changing, and checks the actor may change that setting. */
export async function groupToManage(
  trx: Tx,
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  action: ActionOf<'item'>,
  refusal: string,
): Promise<Group> {
  const group = await findGroup(trx, groupId, true);
  if (!group) throw notFound('group', groupId);
  authorize(actor, 'item', action, itemFacts(deps, actor, group), refusal);
  return group;
}
