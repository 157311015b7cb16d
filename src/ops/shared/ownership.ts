import type { IndexReader } from '../../access/index-reader.js';
import { itemsNamingOwner, itemsWithOwnerGroupIn } from '../../store/owners.js';
import type { OpsDeps } from './deps.js';

// Ownership, defined once: an item's owners are its named owner users plus the effective members of its owner
// group, now. The three questions asked of it (is this user an owner, who owns this item, what does this user
// own) are answered below from that one definition, and a test checks that they agree.

export interface Owned {
  ownerUserIds: string[];
  ownerGroupId: string | null;
}

/** Whether `userId` owns `item` at `now`. */
export function isOwnerOf(index: IndexReader, userId: string, item: Owned, now: Date): boolean {
  if (item.ownerUserIds.includes(userId)) return true;
  return item.ownerGroupId !== null && index.isAllowed(userId, { groupId: item.ownerGroupId }, now.getTime());
}

/** Everyone who owns `item` at `now`. */
export function ownersOf(index: IndexReader, item: Owned, now: Date): string[] {
  const owners = new Set(item.ownerUserIds);
  if (item.ownerGroupId !== null)
    for (const m of index.members({ groupId: item.ownerGroupId }, now.getTime())) owners.add(m.userId);
  return [...owners];
}

/** The ids of every group and resource `userId` owns at `now`. */
export async function itemsOwnedBy(
  deps: Pick<OpsDeps, 'db' | 'index'>,
  userId: string,
  now: Date,
): Promise<string[]> {
  const groups = deps.index
    .userAccess(userId, now.getTime())
    .flatMap((a) => ('groupId' in a.target ? [a.target.groupId] : []));
  const [named, viaGroup] = await Promise.all([
    itemsNamingOwner(deps.db, userId),
    itemsWithOwnerGroupIn(deps.db, groups),
  ]);
  return [...new Set([...named, ...viaGroup])];
}
