import { ScimError } from '../../domain/scim/errors.js';
import type { NewEvent } from '../../store/events.js';
import { endGrants, idpMembers, insertIdpGrants, scimUsersByIds } from '../../store/scim.js';
import type { Tx } from '../shared/deps.js';
import type { ScimCaller } from './authenticate.js';

export const LEFT_IDP_GROUP_REASON = 'removed by the identity provider';

/**
 * Makes a SCIM group's memberships equal to `memberIds`: grants of source idp for those who join, ended grants
 * for those who leave, in bulk statements and one event naming every grant (which is how the access index and
 * other processes learn of them). Members must be live users that are not deprovisioned.
 */
export async function syncMembers(
  trx: Tx,
  caller: ScimCaller,
  groupId: string,
  memberIds: readonly string[],
  now: Date,
): Promise<NewEvent[]> {
  const current = (await idpMembers(trx, [groupId])).get(groupId) ?? [];
  const wanted = new Set(memberIds);
  const held = new Set(current.map((m) => m.userId));
  const joining = memberIds.filter((id) => !held.has(id));
  const leaving = current.filter((m) => !wanted.has(m.userId));
  if (joining.length) {
    const users = await scimUsersByIds(trx, joining);
    const known = new Set(users.filter((u) => !u.user.deprovisionedAt).map((u) => u.user.id));
    const unknown = joining.filter((id) => !known.has(id));
    if (unknown.length)
      throw new ScimError(
        400,
        `members must be existing users: no user with id ${unknown.slice(0, 5).join(', ')}` +
          (unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''),
        'invalidValue',
      );
  }
  const added = await insertIdpGrants(trx, groupId, joining, caller.actorId, now);
  await endGrants(
    trx,
    leaving.map((m) => m.grantId),
    now,
    caller.actorId,
    LEFT_IDP_GROUP_REASON,
  );
  if (added.length === 0 && leaving.length === 0) return [];
  return [
    {
      type: 'group.members_synced',
      actorId: caller.actorId,
      subjects: [
        { type: 'group', id: groupId },
        { type: 'token', id: caller.tokenId },
        ...added.map((a) => ({ type: 'grant', id: a.grantId })),
        ...leaving.map((m) => ({ type: 'grant', id: m.grantId })),
        // So the log filtered by a person shows when the provider added or removed them.
        ...added.map((a) => ({ type: 'user', id: a.userId })),
        ...leaving.map((m) => ({ type: 'user', id: m.userId })),
      ],
      data: {
        via: 'scim',
        added: added.map((a) => a.userId),
        removed: leaving.map((m) => m.userId),
      },
    },
  ];
}
