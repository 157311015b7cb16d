import { sql, type Kysely, type Transaction } from 'kysely';
import type { Resource } from '../domain/items.js';
import { likePattern } from './groups.js';
import { ownersByItem } from './owners.js';
import { linksOfItems } from './remote-links.js';
import type { RemoteLink } from '../domain/connections/connection.js';
import type { Database, ResourceRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const toResource = (r: ResourceRow, owners: string[], remote: RemoteLink | null): Resource => ({
  id: r.id,
  name: r.name,
  type: r.type,
  description: r.description,
  accessLevels: r.access_levels,
  ownerUserIds: owners,
  ownerGroupId: r.owner_group_id,
  createdAt: r.created_at.toISOString(),
  remote,
});

async function withOwners(db: Db, rows: ResourceRow[]): Promise<Resource[]> {
  const owners = await ownersByItem(
    db,
    rows.map((r) => r.id),
  );
  const links = await linksOfItems(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toResource(r, owners.get(r.id) ?? [], links.get(r.id) ?? null));
}

export async function insertResource(
  db: Db,
  row: {
    id: string;
    name: string;
    type: string;
    description: string;
    accessLevels: string[];
    ownerGroupId: string | null;
    now: Date;
  },
) {
  await db
    .insertInto('resources')
    .values({
      id: row.id,
      name: row.name,
      type: row.type,
      description: row.description,
      access_levels: row.accessLevels,
      owner_group_id: row.ownerGroupId,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function findResource(db: Db, id: string, lock = false): Promise<Resource | undefined> {
  let q = db.selectFrom('resources').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? (await withOwners(db, [row]))[0] : undefined;
}

export async function findResourcesByIds(db: Db, ids: string[]): Promise<Resource[]> {
  if (ids.length === 0) return [];
  return withOwners(
    db,
    await db
      .selectFrom('resources')
      .selectAll()
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute(),
  );
}

export async function listResources(
  db: Db,
  f: { query?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<Resource[]> {
  let q = db.selectFrom('resources').selectAll().where('deleted_at', 'is', null).orderBy('id').limit(f.limit);
  if (f.query) q = q.where(sql<boolean>`lower(name) like ${likePattern(f.query)}`);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return withOwners(db, await q.execute());
}

export async function updateResourceRow(
  db: Db,
  id: string,
  set: {
    name?: string;
    type?: string;
    description?: string;
    accessLevels?: string[];
    ownerGroupId?: string | null;
  },
  now: Date,
) {
  await db
    .updateTable('resources')
    .set({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.type !== undefined ? { type: set.type } : {}),
      ...(set.description !== undefined ? { description: set.description } : {}),
      ...(set.accessLevels !== undefined ? { access_levels: set.accessLevels } : {}),
      ...(set.ownerGroupId !== undefined ? { owner_group_id: set.ownerGroupId } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function markResourceDeleted(db: Db, id: string, now: Date) {
  await db.updateTable('resources').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Which of these levels of a resource live grants or edges still use (removing them would strand access). */
export async function accessLevelsInUse(
  db: Db,
  resourceId: string,
  levels: string[],
  now: Date,
): Promise<string[]> {
  if (levels.length === 0) return [];
  const grants = await db
    .selectFrom('grants')
    .select('access_level')
    .distinct()
    .where('resource_id', '=', resourceId)
    .where('access_level', 'in', levels)
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  const edges = await db
    .selectFrom('assets')
    .select('access_level')
    .distinct()
    .where('asset_resource_id', '=', resourceId)
    .where('access_level', 'in', levels)
    .where('removed_at', 'is', null)
    .execute();
  return [...new Set([...grants, ...edges].map((r) => r.access_level!))];
}
