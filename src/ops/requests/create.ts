import { forbidden, invalid } from '../../domain/errors.js';
import {
  assertRequestable,
  parseRequestDuration,
  parseRequestReason,
  type AccessRequest,
} from '../../domain/requests.js';
import { type Actor } from '../../domain/users.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { itemIdOf, loadRequestedItem, matchFor, type ItemRequestRef } from './items.js';
import { submitRequest, type MatchedItem } from './submit.js';
import { runInTransaction } from '../shared/transaction.js';
import { can, itemFacts } from '../shared/authorization.js';

export interface CreateRequestInput {
  items: ItemRequestRef[];
  durationMinutes: number;
  reason?: string | undefined;
  targetUserId?: string | undefined;
}

const key = (ref: ItemRequestRef) =>
  'groupId' in ref ? ref.groupId : `${ref.resourceId}:${ref.accessLevel}`;

/**
 * POST /requests: asks for access to one or more items, for oneself or (admins; owners for items they own) for
 * someone else. Every item must be requestable for the target under the configuration that matches them, or
 * nothing is created.
 */
export async function createRequest(
  deps: OpsDeps,
  actor: Actor,
  input: CreateRequestInput,
): Promise<AccessRequest> {
  const now = deps.now();
  const targetUserId = input.targetUserId ?? actor.id;
  const duration = parseRequestDuration(input.durationMinutes);
  if (input.items.length === 0) throw invalid('items', 'name at least one item');
  const keys = input.items.map(key);
  const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (dup >= 0) throw invalid(`items.${dup}`, 'the same item is listed twice');
  return runInTransaction(deps, async (trx) => {
    if (targetUserId !== actor.id) {
      const target = await findUserById(trx, targetUserId);
      if (!target) throw invalid('targetUserId', `unknown user: ${targetUserId}`);
      if (target.status !== 'active') throw invalid('targetUserId', `user ${targetUserId} is suspended`);
    }
    const loaded = [];
    for (const [i, ref] of input.items.entries())
      loaded.push(await loadRequestedItem(trx, ref, `items.${i}`));
    if (targetUserId !== actor.id) {
      const notOwned = loaded.filter(
        (l) => !can(actor, 'requestForOthers', 'submit', itemFacts(deps, actor, l.item)),
      );
      if (notOwned.length)
        throw forbidden(
          `only admins, and owners for items they own, can request access for someone else; you do not own ${notOwned.map((l) => l.label).join(', ')}`,
        );
    }
    const matched = await matchFor(
      trx,
      deps.index,
      loaded.map((l) => itemIdOf(l.target)),
      targetUserId,
      now,
    );
    const configs = assertRequestable(
      loaded.map((l) => ({ label: l.label, config: matched.get(itemIdOf(l.target)) })),
      duration,
    );
    const items: MatchedItem[] = loaded.map((l, i) => ({
      target: l.target,
      label: l.label,
      owners: l.item,
      config: configs[i]!,
    }));
    const reason = parseRequestReason(
      input.reason,
      items.some((m) => m.config.requireReason),
    );
    return submitRequest(
      trx,
      deps,
      actor,
      { targetUserId, durationMinutes: duration, reason, extensionOf: null, items },
      now,
    );
  });
}
