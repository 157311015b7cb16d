import type { AccessIndex } from '../../access/access-index.js';
import type { ItemRelation } from '../../domain/policies.js';
import type { Group } from '../../domain/items.js';
import type { Actor } from '../../domain/users.js';

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

/** The group's owners now: named owner users plus the effective members of its owner group. */
export function ownersOf(
  index: AccessIndex | undefined,
  group: Pick<Group, 'ownerUserIds' | 'ownerGroupId'>,
  now: Date,
): string[] {
  const owners = new Set(group.ownerUserIds);
  if (group.ownerGroupId && index)
    for (const m of index.members({ groupId: group.ownerGroupId }, now.getTime())) owners.add(m.userId);
  return [...owners];
}
