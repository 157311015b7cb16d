import { sql, type Kysely, type Transaction } from 'kysely';
import type { Asset } from '../domain/items.js';
import type { AssetRow, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export const toAsset = (r: AssetRow): Asset => ({
  id: r.id,
  groupId: r.group_id,
  assetGroupId: r.asset_group_id,
  assetResourceId: r.asset_resource_id,
  accessLevel: r.access_level,
  expiresAt: r.expires_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export async function insertAsset(
  db: Db,
  a: {
    id: string;
    groupId: string;
    assetGroupId: string | null;
    assetResourceId: string | null;
    accessLevel: string | null;
    expiresAt: Date | null;
    createdAt: Date;
    createdBy: string;
  },
): Promise<AssetRow> {
  return db
    .insertInto('assets')
    .values({
      id: a.id,
      group_id: a.groupId,
      asset_group_id: a.assetGroupId,
      asset_resource_id: a.assetResourceId,
      access_level: a.accessLevel,
      expires_at: a.expiresAt,
      created_at: a.createdAt,
      created_by: a.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLiveAsset(db: Db, groupId: string, assetId: string): Promise<AssetRow | undefined> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('id', '=', assetId)
    .where('group_id', '=', groupId)
    .where('removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** A group's assets that have not been removed (expired ones included, so owners see and can clean them). */
export async function listAssetsOfGroup(db: Db, groupId: string): Promise<AssetRow[]> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function markAssetRemoved(db: Db, id: string, at: Date, by: string | null): Promise<void> {
  await db.updateTable('assets').set({ removed_at: at, removed_by: by }).where('id', '=', id).execute();
}

/** Live edges into or out of an item, which deleting it removes. */
export async function liveAssetIdsTouching(db: Db, itemId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('assets')
    .select('id')
    .where('removed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('group_id', '=', itemId),
        eb('asset_group_id', '=', itemId),
        eb('asset_resource_id', '=', itemId),
      ]),
    )
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** One array parameter whatever the number of ids. */
export async function assetRowsByIds(db: Db, ids: string[]): Promise<AssetRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('assets')
    .selectAll()
    .where(sql<boolean>`id = any(${sql.val(ids)}::text[])`)
    .execute();
}

/** markAssetRemoved for many edges, each only if it still counts (not removed, not expired); returns those removed. */
export async function removeLiveAssets(
  db: Db,
  ids: string[],
  at: Date,
  by: string | null,
): Promise<AssetRow[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable('assets')
    .set({ removed_at: at, removed_by: by })
    .where(sql<boolean>`id = any(${sql.val(ids)}::text[])`)
    .where('removed_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
    .returningAll()
    .execute();
}

/** Every edge that has not been removed; for the access index and the cycle check. */
export async function liveAssetRows(db: Db): Promise<AssetRow[]> {
  return db.selectFrom('assets').selectAll().where('removed_at', 'is', null).execute();
}
