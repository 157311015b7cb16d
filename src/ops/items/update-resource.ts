import { conflict, invalid, notFound } from '../../domain/errors.js';
import type { Resource } from '../../domain/items.js';
import type { Actor } from '../../domain/users.js';
import { replaceOwners } from '../../store/owners.js';
import { accessLevelsInUse, findResource, updateResourceRow } from '../../store/resources.js';
import { normalizeAccessLevels } from './access-levels.js';
import type { OpsDeps } from '../shared/deps.js';
import { diffFields } from '../shared/diff-fields.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';
import { validateOwners } from './validate-owners.js';
import { authorize, itemFacts } from '../shared/authorization.js';
import type { NewEvent } from '../../store/events.js';
import { resolveLink, writeLink, type LinkInput } from '../connections/index.js';

export interface UpdateResourceInput {
  name?: string | undefined;
  type?: string | undefined;
  description?: string | undefined;
  accessLevels?: string[] | undefined;
  ownerUserIds?: string[] | undefined;
  ownerGroupId?: string | null | undefined;
  /** Links the resource, at one access level, to a remote item of a connected system (admins); null unlinks it. */
  remote?: LinkInput | null | undefined;
}

export async function updateResource(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: UpdateResourceInput,
): Promise<Resource> {
  const now = deps.now();
  const current = input.remote === undefined ? undefined : await findResource(deps.db, id);
  if (input.remote !== undefined && !current) throw notFound('resource', id);
  const item = {
    id,
    type: 'resource' as const,
    accessLevels: input.accessLevels ?? current?.accessLevels ?? [],
  };
  // The remote item is looked up in its target before the transaction.
  const link = input.remote === undefined ? undefined : await resolveLink(deps, actor, item, input.remote);
  return runInTransaction(deps, async (trx) => {
    const before = await findResource(trx, id, true);
    if (!before) throw notFound('resource', id);
    authorize(
      actor,
      'item',
      'update',
      itemFacts(deps, actor, before),
      'only admins and the owners of this resource can change it',
    );
    const name = input.name?.trim();
    if (name === '') throw invalid('name', 'must not be blank');
    const type = input.type?.trim();
    if (type === '') throw invalid('type', 'must not be blank');
    const accessLevels = input.accessLevels && normalizeAccessLevels(input.accessLevels);
    await validateOwners(trx, input.ownerUserIds, input.ownerGroupId);
    if (accessLevels) {
      const dropped = before.accessLevels.filter((l) => !accessLevels.includes(l));
      const inUse = await accessLevelsInUse(trx, id, dropped, now);
      if (inUse.length)
        throw conflict(
          `access levels still granted or nested: ${inUse.join(', ')}; end those grants and edges first`,
        );
    }
    await updateResourceRow(
      trx,
      id,
      {
        ...(name !== undefined ? { name } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        ...(accessLevels ? { accessLevels } : {}),
        ...(input.ownerGroupId !== undefined ? { ownerGroupId: input.ownerGroupId } : {}),
      },
      now,
    );
    if (input.ownerUserIds) await replaceOwners(trx, id, uniqueIds(input.ownerUserIds));
    const written = link === undefined ? undefined : await writeLink(trx, item, link, now);
    const remote = written?.change;
    const after = (await findResource(trx, id))!;
    const changes = diffFields(before, after, [
      'name',
      'type',
      'description',
      'accessLevels',
      'ownerUserIds',
      'ownerGroupId',
    ]);
    if (remote) changes.remote = remote;
    const events: NewEvent[] = Object.keys(changes).length
      ? [
          {
            type: 'resource.updated',
            actorId: actor.id,
            subjects: [{ type: 'resource', id }],
            data: { changes },
          },
        ]
      : [];
    // The item's change first, then the grants of the members its new link adopted.
    return { result: after, events: [...events, ...(written?.events ?? [])] };
  });
}
