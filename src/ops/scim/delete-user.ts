import { ScimError } from '../../domain/scim/errors.js';
import { liveGrantIdsOfUser, endGrants, markUserDeprovisioned, scimUserById } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { checkLockout, revokeOnSuspension } from '../shared/user-status.js';
import type { ScimCaller } from './authenticate.js';

export const DEPROVISIONED_END_REASON = 'deprovisioned';

/**
 * DELETE /scim/v2/Users/{id}: the user is deprovisioned, not erased. Suspended for good, every grant ended with
 * endReason "deprovisioned", tokens revoked; the row stays for the history that names it, and its userName and
 * e-mail are free for a new user.
 */
export async function deprovisionScimUser(deps: OpsDeps, caller: ScimCaller, id: string): Promise<void> {
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const before = await scimUserById(trx, id, true);
    if (!before || before.user.deprovisionedAt) throw new ScimError(404, `no user with id ${id}`);
    await checkLockout(trx, before.user, { role: before.user.role, status: 'suspended' });
    const grantIds = await liveGrantIdsOfUser(trx, id);
    await endGrants(trx, grantIds, now, caller.actorId, DEPROVISIONED_END_REASON);
    await markUserDeprovisioned(trx, id, now);
    const revokedTokens = await revokeOnSuspension(trx, before.user, 'suspended', now);
    return {
      result: undefined,
      events: [
        {
          type: 'user.deprovisioned',
          actorId: caller.actorId,
          subjects: [
            { type: 'user', id },
            { type: 'token', id: caller.tokenId },
            ...grantIds.map((g) => ({ type: 'grant', id: g })),
            ...revokedTokens.map((t) => ({ type: 'token', id: t })),
          ],
          data: {
            via: 'scim',
            userName: before.userName,
            email: before.user.email,
            endedGrants: grantIds.length,
            revokedTokens: revokedTokens.length,
          },
        },
      ],
    };
  });
}
