import { invalid } from '../../domain/errors.js';
import { DEFAULT_ACCESS_LEVELS, type Resource } from '../../domain/items.js';
import { type Actor } from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import { replaceOwners } from '../../store/owners.js';
import { findResource, insertResource } from '../../store/resources.js';
import type { OpsDeps } from '../shared/deps.js';
import { normalizeAccessLevels } from './access-levels.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';
import { validateOwners } from './validate-owners.js';
import { authorize } from '../shared/authorization.js';

export interface CreateResourceInput {
  name: string;
  type: string;
  description?: string | undefined;
  accessLevels?: string[] | undefined;
  ownerUserIds?: string[] | undefined;
  ownerGroupId?: string | null | undefined;
}

export async function createResource(
  deps: OpsDeps,
  actor: Actor,
  input: CreateResourceInput,
): Promise<Resource> {
  authorize(actor, 'item', 'create', { isOwner: false }, 'only admins can create resources');
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  const type = input.type.trim();
  if (!type) throw invalid('type', 'must not be blank');
  const accessLevels = normalizeAccessLevels(input.accessLevels ?? DEFAULT_ACCESS_LEVELS);
  const owners = uniqueIds(input.ownerUserIds);
  return runInTransaction(deps, async (trx) => {
    await validateOwners(trx, owners, input.ownerGroupId);
    const id = newId('res');
    await insertResource(trx, {
      id,
      name,
      type,
      description: input.description?.trim() ?? '',
      accessLevels,
      ownerGroupId: input.ownerGroupId ?? null,
      now: deps.now(),
    });
    await replaceOwners(trx, id, owners);
    const resource = (await findResource(trx, id))!;
    return {
      result: resource,
      events: [
        {
          type: 'resource.created',
          actorId: actor.id,
          subjects: [{ type: 'resource', id }],
          data: { name, type, accessLevels, ownerUserIds: owners, ownerGroupId: resource.ownerGroupId },
        },
      ],
    };
  });
}
