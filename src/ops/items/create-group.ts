import { invalid } from '../../domain/errors.js';
import type { Group } from '../../domain/items.js';
import { type Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { findGroup, insertGroup } from '../../store/groups.js';
import { newId } from '../../store/ids.js';
import { replaceOwners } from '../../store/owners.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';
import { validateOwners } from './validate-owners.js';
import { authorize } from '../shared/authorization.js';

export interface CreateGroupInput {
  name: string;
  description?: string | undefined;
  ownerUserIds?: string[] | undefined;
  ownerGroupId?: string | null | undefined;
}

export async function createGroup(deps: OpsDeps, actor: Actor, input: CreateGroupInput): Promise<Group> {
  authorize(actor, 'item', 'create', { isOwner: false }, 'only admins can create groups');
  return runInTransaction(deps, async (trx) => {
    const { group, event } = await insertGroupWithEvent(trx, actor, input, deps.now());
    return { result: group, events: [event] };
  });
}

/** Writes a new group and its event in the caller's transaction (the caller has authorized the actor). */
export async function insertGroupWithEvent(
  trx: Tx,
  actor: Actor,
  input: CreateGroupInput,
  now: Date,
): Promise<{ group: Group; event: NewEvent }> {
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  const owners = uniqueIds(input.ownerUserIds);
  await validateOwners(trx, owners, input.ownerGroupId);
  const id = newId('grp');
  await insertGroup(trx, {
    id,
    name,
    description: input.description?.trim() ?? '',
    ownerGroupId: input.ownerGroupId ?? null,
    now,
  });
  await replaceOwners(trx, id, owners);
  const group = (await findGroup(trx, id))!;
  const event: NewEvent = {
    type: 'group.created',
    actorId: actor.id,
    subjects: [{ type: 'group', id }],
    data: { name, description: group.description, ownerUserIds: owners, ownerGroupId: group.ownerGroupId },
  };
  return { group, event };
}
