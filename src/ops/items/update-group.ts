import { invalid, notFound } from '../../domain/errors.js';
import type { Group } from '../../domain/items.js';
import type { Actor } from '../../domain/users.js';
import { findGroup, updateGroupRow } from '../../store/groups.js';
import { replaceOwners } from '../../store/owners.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';
import { validateOwners } from './validate-owners.js';
import { diffFields } from '../shared/diff-fields.js';
import { authorize, itemFacts } from '../shared/authorization.js';
import type { NewEvent } from '../../store/events.js';
import { resolveLink, writeLink, type LinkInput } from '../connections/index.js';

export interface UpdateGroupInput {
  name?: string | undefined;
  description?: string | undefined;
  ownerUserIds?: string[] | undefined;
  ownerGroupId?: string | null | undefined;
  /** Links the group to a remote item of a connected system (admins); null unlinks it. */
  remote?: LinkInput | null | undefined;
}

export async function updateGroup(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: UpdateGroupInput,
): Promise<Group> {
  const now = deps.now();
  const item = { id, type: 'group' as const };
  // The remote item is looked up in its target before the transaction.
  const link = input.remote === undefined ? undefined : await resolveLink(deps, actor, item, input.remote);
  return runInTransaction(deps, async (trx) => {
    const before = await findGroup(trx, id, true);
    if (!before) throw notFound('group', id);
    authorize(
      actor,
      'item',
      'update',
      itemFacts(deps, actor, before),
      'only admins and the owners of this group can change it',
    );
    const name = input.name?.trim();
    if (name === '') throw invalid('name', 'must not be blank');
    if (input.ownerGroupId === id) throw invalid('ownerGroupId', 'a group cannot own itself');
    await validateOwners(trx, input.ownerUserIds, input.ownerGroupId);
    await updateGroupRow(
      trx,
      id,
      {
        ...(name !== undefined ? { name } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        ...(input.ownerGroupId !== undefined ? { ownerGroupId: input.ownerGroupId } : {}),
      },
      now,
    );
    if (input.ownerUserIds) await replaceOwners(trx, id, uniqueIds(input.ownerUserIds));
    const written = link === undefined ? undefined : await writeLink(trx, item, link, now);
    const remote = written?.change;
    const after = (await findGroup(trx, id))!;
    const changes = {
      ...diffFields(before, after, ['name', 'description', 'ownerUserIds', 'ownerGroupId']),
      ...(remote ? { remote } : {}),
    };
    const events: NewEvent[] = Object.keys(changes).length
      ? [{ type: 'group.updated', actorId: actor.id, subjects: [{ type: 'group', id }], data: { changes } }]
      : [];
    // The item's change first, then the grants of the members its new link adopted.
    return { result: after, events: [...events, ...(written?.events ?? [])] };
  });
}
