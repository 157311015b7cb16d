import { conflict, notFound } from '../../domain/errors.js';
import {
  assertRequestable,
  parseRequestDuration,
  parseRequestReason,
  type AccessRequest,
} from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import { findGrantRow, toGrant } from '../../store/grants.js';
import type { OpsDeps } from '../shared/deps.js';
import { itemIdOf, loadRequestedItem, matchFor, type ItemRequestRef } from './items.js';
import { submitRequest } from './submit.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize, heldFacts } from '../shared/authorization.js';

export interface ExtendGrantInput {
  durationMinutes: number;
  reason?: string | undefined;
}

/**
 * POST /grants/{id}/extend: the holder of a requested grant asks for more time on the same item, under the
 * configuration that applies to them now. The outcome is a request flagged `extensionOf`: auto-approved
 * configurations grant at once, others go through their stages. An extension is a new grant running from its
 * approval for `durationMinutes` (not appended to the old grant's end), so the configured maximum bounds how
 * far ahead access reaches; access lasts while either grant does.
 */
export async function extendGrant(
  deps: OpsDeps,
  actor: Actor,
  grantId: string,
  input: ExtendGrantInput,
): Promise<AccessRequest> {
  const duration = parseRequestDuration(input.durationMinutes);
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const row = await findGrantRow(trx, grantId, true);
    if (!row) throw notFound('grant', grantId);
    const ref: ItemRequestRef = row.group_id
      ? { groupId: row.group_id }
      : { resourceId: row.resource_id!, accessLevel: row.access_level! };
    if (row.user_id !== actor.id) {
      const { item } = await loadRequestedItem(trx, ref, 'grant').catch(() => ({ item: undefined }));
      const facts = heldFacts(deps, actor, row.user_id, item);
      authorize(actor, 'grant', 'view', facts, () => notFound('grant', grantId));
      authorize(actor, 'grant', 'extend', facts, 'only the holder of a grant can ask to extend it');
    }
    if (row.source !== 'request') throw conflict('only grants that came from a request can be extended');
    const status = toGrant(row, now).status;
    if (status === 'expired' || status === 'revoked')
      throw conflict(`grant ${grantId} has already ended (${status}); request the access again instead`);
    const loaded = await loadRequestedItem(trx, ref, 'grant').catch(() => {
      throw conflict(`the item of grant ${grantId} no longer exists or no longer has that access level`);
    });
    const id = itemIdOf(ref);
    const config = (await matchFor(trx, deps.index, [id], actor.id, now)).get(id);
    const [matched] = assertRequestable([{ config, label: loaded.label }], duration);
    const reason = parseRequestReason(input.reason, matched!.requireReason);
    return submitRequest(
      trx,
      deps,
      actor,
      {
        targetUserId: actor.id,
        durationMinutes: duration,
        reason,
        extensionOf: grantId,
        items: [{ target: loaded.target, label: loaded.label, owners: loaded.item, config: matched! }],
      },
      now,
    );
  });
}
