import { notFound } from '../../domain/errors.js';
import {
  assertValidConfigurations,
  byPriority,
  normalizeConfigurations,
  referencedIds,
  type ConfigurationInput,
  type RequestConfiguration,
} from '../../domain/request-config.js';
import type { Actor } from '../../domain/users.js';
import { findGroup, findGroupsByIds } from '../../store/groups.js';
import { readConfigurations, replaceConfigurations } from '../../store/request-configurations.js';
import { findResource } from '../../store/resources.js';
import { findUsersByIds } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize, itemFacts } from '../shared/authorization.js';

export type ConfigurableItem = { groupId: string } | { resourceId: string };

/**
 * Replaces an item's request configurations (PUT semantics; an empty list makes it not requestable). Admins and
 * the item's owners only. The item row is locked so concurrent replacements apply one after the other.
 */
export async function updateRequestConfigurations(
  deps: OpsDeps,
  actor: Actor,
  ref: ConfigurableItem,
  input: ConfigurationInput[],
): Promise<RequestConfiguration[]> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const kind = 'groupId' in ref ? 'group' : 'resource';
    const itemId = 'groupId' in ref ? ref.groupId : ref.resourceId;
    const item =
      'groupId' in ref ? await findGroup(trx, itemId, true) : await findResource(trx, itemId, true);
    if (!item) throw notFound(kind, itemId);
    authorize(
      actor,
      'item',
      'configureRequests',
      itemFacts(deps, actor, item),
      `only admins and the owners of this ${kind} can change how it is requested`,
    );

    const list = normalizeConfigurations(input);
    const ids = referencedIds(list);
    const [users, groups] = await Promise.all([
      findUsersByIds(trx, ids.userIds),
      findGroupsByIds(trx, ids.groupIds),
    ]);
    assertValidConfigurations(list, {
      userIds: new Set(users.map((u) => u.id)),
      groupIds: new Set(groups.map((g) => g.id)),
    });
    const after = byPriority(list);
    const before = await readConfigurations(trx, itemId);
    if (JSON.stringify(before) === JSON.stringify(after)) return { result: after, events: [] };
    await replaceConfigurations(trx, itemId, after, actor.id, now);
    return {
      result: after,
      events: [
        {
          type: 'request_configuration.updated',
          actorId: actor.id,
          subjects: [{ type: kind, id: itemId }],
          data: { before, after },
        },
      ],
    };
  });
}
