import type { Kysely } from 'kysely';
import { itemsOwnedBy } from '../store/owners.js';
import type { Database } from '../store/schema.js';
import type { AccessIndex } from './access-index.js';

/** Items a user owns now: as a named owner, or as an effective member of the item's owner group. */
export async function ownedItemIds(
  db: Kysely<Database>,
  index: AccessIndex,
  userId: string,
  now: number,
): Promise<string[]> {
  const named = await itemsOwnedBy(db, userId);
  const groups = index
    .userAccess(userId, now)
    .flatMap((a) => ('groupId' in a.target ? [a.target.groupId] : []));
  if (groups.length === 0) return named;
  const [g, r] = await Promise.all([
    db
      .selectFrom('groups')
      .select('id')
      .where('owner_group_id', 'in', groups)
      .where('deleted_at', 'is', null)
      .execute(),
    db
      .selectFrom('resources')
      .select('id')
      .where('owner_group_id', 'in', groups)
      .where('deleted_at', 'is', null)
      .execute(),
  ]);
  return [...new Set([...named, ...g.map((x) => x.id), ...r.map((x) => x.id)])];
}
