import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Owner user ids per item, for a page of items in one query. */
export async function ownersByItem(db: Db, itemIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(itemIds.map((id) => [id, []]));
  if (itemIds.length === 0) return map;
  const rows = await db
    .selectFrom('item_owners')
    .select(['item_id', 'user_id'])
    .where('item_id', 'in', itemIds)
    .orderBy('user_id')
    .execute();
  for (const r of rows) map.get(r.item_id)?.push(r.user_id);
  return map;
}

export async function replaceOwners(db: Db, itemId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('item_owners').where('item_id', '=', itemId).execute();
  if (userIds.length)
    await db
      .insertInto('item_owners')
      .values(userIds.map((user_id) => ({ item_id: itemId, user_id })))
      .execute();
}

/** Items that name the user as an owner (live or deleted: callers intersect with what they show). */
export async function itemsNamingOwner(db: Db, userId: string): Promise<string[]> {
  return (await db.selectFrom('item_owners').select('item_id').where('user_id', '=', userId).execute()).map(
    (r) => r.item_id,
  );
}

/** Live groups and resources whose owner group is one of `groupIds`. */
export async function itemsWithOwnerGroupIn(db: Db, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const [g, r] = await Promise.all([
    db
      .selectFrom('groups')
      .select('id')
      .where('owner_group_id', 'in', groupIds)
      .where('deleted_at', 'is', null)
      .execute(),
    db
      .selectFrom('resources')
      .select('id')
      .where('owner_group_id', 'in', groupIds)
      .where('deleted_at', 'is', null)
      .execute(),
  ]);
  return [...g.map((x) => x.id), ...r.map((x) => x.id)];
}
