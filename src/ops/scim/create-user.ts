import { ScimError } from '../../domain/scim/errors.js';
import { readScimUser } from '../../domain/scim/user-resource.js';
import { newId } from '../../store/ids.js';
import { insertScimUser, scimUserById, type ScimUserRecord } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';
import { assertUnique } from './write-user.js';

/** POST /scim/v2/Users: a member of source scim; `active: false` creates the user suspended. */
export async function createScimUser(
  deps: OpsDeps,
  caller: ScimCaller,
  body: unknown,
): Promise<ScimUserRecord> {
  const input = readScimUser(body);
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    await assertUnique(trx, input);
    const id = newId('usr');
    await insertScimUser(trx, id, { ...input, status: input.active ? 'active' : 'suspended' }, now);
    const record = await scimUserById(trx, id);
    if (!record) throw new ScimError(500, 'the user was not stored');
    return {
      result: record,
      events: [
        {
          type: 'user.created',
          actorId: caller.actorId,
          subjects: [
            { type: 'user', id },
            { type: 'token', id: caller.tokenId },
          ],
          data: {
            via: 'scim',
            email: input.email,
            name: input.name,
            role: 'member',
            userName: input.userName,
            externalId: input.externalId,
            active: input.active,
          },
        },
      ],
    };
  });
}
