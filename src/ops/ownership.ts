import type { AccessIndex } from '../access/access-index.js';
import type { ItemRelation } from '../domain/policies.js';
import type { Actor } from '../domain/users.js';

/** Owners of an item are its named owners plus the effective members of its owner group, right now. */
export function relationTo(
  index: AccessIndex | undefined,
  actor: Actor,
  item: { ownerUserIds: string[]; ownerGroupId: string | null },
  now: Date,
): ItemRelation {
  if (item.ownerUserIds.includes(actor.id)) return { isOwner: true };
  const viaGroup =
    item.ownerGroupId !== null &&
    index !== undefined &&
    index.isAllowed(actor.id, { groupId: item.ownerGroupId }, now.getTime());
  return { isOwner: viaGroup };
}
