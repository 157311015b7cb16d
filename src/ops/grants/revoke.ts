import { AppError, conflict, notFound } from '../../domain/errors.js';
import { EXPIRED_END_REASON, type Grant } from '../../domain/grants.js';
import type { Actor } from '../../domain/users.js';
import { endGrantRow, findGrantRow, toGrant } from '../../store/grants.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize, heldFacts } from '../shared/authorization.js';

async function itemOf(trx: Tx, groupId: string | null, resourceId: string | null) {
  if (groupId) return findGroup(trx, groupId);
  return resourceId ? findResource(trx, resourceId) : undefined;
}

/** Ends a grant now. Only this grant ends: access another grant or nesting path gives is untouched. */
export async function revokeGrant(
  deps: OpsDeps,
  actor: Actor,
  grantId: string,
  reason?: string,
): Promise<Grant> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const row = await findGrantRow(trx, grantId, true);
    if (!row) throw notFound('grant', grantId);
    const item = await itemOf(trx, row.group_id, row.resource_id);
    const facts = heldFacts(deps, actor, row.user_id, item);
    authorize(actor, 'grant', 'view', facts, () => notFound('grant', grantId));
    authorize(
      actor,
      'grant',
      'revoke',
      facts,
      'only the holder, the owners of the item and admins can end this grant',
    );
    if (row.source === 'idp')
      throw new AppError(
        'managed_by_idp',
        'this membership comes from the identity provider; remove the person from the group there',
      );
    const current = toGrant(row, now);
    if (current.status === 'expired' || current.status === 'revoked')
      throw conflict(`grant ${grantId} has already ended (${current.status})`);
    // 'expired' is the time engine's end reason; a person's reason must never read as an expiry.
    const endReason =
      reason?.trim() === EXPIRED_END_REASON ? `revoked: ${EXPIRED_END_REASON}` : reason?.trim() || 'revoked';
    const ended = toGrant(await endGrantRow(trx, grantId, now, actor.id, endReason), now);
    const itemSubject = row.group_id
      ? { type: 'group', id: row.group_id }
      : { type: 'resource', id: row.resource_id! };
    return {
      result: ended,
      events: [
        {
          type: 'grant.revoked',
          actorId: actor.id,
          subjects: [{ type: 'grant', id: grantId }, { type: 'user', id: row.user_id }, itemSubject],
          data: { source: row.source, reason: ended.endReason },
        },
      ],
    };
  });
}
