import { readScimGroup } from '../../domain/scim/group-resource.js';
import { newId } from '../../store/ids.js';
import { insertScimGroup } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';
import { syncMembers } from './write-group.js';

/** POST /scim/v2/Groups: a Latch group of source scim, with its members as idp grants. */
export async function createScimGroup(deps: OpsDeps, caller: ScimCaller, body: unknown): Promise<string> {
  const input = readScimGroup(body);
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const id = newId('grp');
    await insertScimGroup(trx, { id, name: input.displayName, externalId: input.externalId }, now);
    const memberEvents = await syncMembers(trx, caller, id, input.memberIds, now);
    return {
      result: id,
      events: [
        {
          type: 'group.created',
          actorId: caller.actorId,
          subjects: [
            { type: 'group', id },
            { type: 'token', id: caller.tokenId },
          ],
          data: {
            via: 'scim',
            name: input.displayName,
            description: '',
            ownerUserIds: [],
            ownerGroupId: null,
            externalId: input.externalId,
          },
        },
        ...memberEvents,
      ],
    };
  });
}
