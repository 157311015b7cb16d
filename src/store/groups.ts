import { sql, type Kysely, type Transaction } from 'kysely';
import type { Group, GroupSource } from '../domain/items.js';
import { ownersByItem } from './owners.js';
import { linksOfItems } from './remote-links.js';
import type { RemoteLink } from '../domain/connections/connection.js';
import type { Database, GroupRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const toGroup = (r: GroupRow, owners: string[], remote: RemoteLink | null): Group => ({
  id: r.id,
  name: r.name,
  description: r.description,
  ownerUserIds: owners,
  ownerGroupId: r.owner_group_id,
  createdAt: r.created_at.toISOString(),
  source: r.source as GroupSource,
  externalId: r.external_id,
  remote,
});

async function withOwners(db: Db, rows: GroupRow[]): Promise<Group[]> {
  const owners = await ownersByItem(
    db,
    rows.map((r) => r.id),
  );
  const links = await linksOfItems(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toGroup(r, owners.get(r.id) ?? [], links.get(r.id) ?? null));
}

export async function insertGroup(
  db: Db,
  row: { id: string; name: string; description: string; ownerGroupId: string | null; now: Date },
) {
  await db
    .insertInto('groups')
    .values({
      id: row.id,
      name: row.name,
      description: row.description,
      owner_group_id: row.ownerGroupId,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function findGroup(db: Db, id: string, lock = false): Promise<Group | undefined> {
  let q = db.selectFrom('groups').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? (await withOwners(db, [row]))[0] : undefined;
}

export async function findGroupsByIds(db: Db, ids: string[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  return withOwners(
    db,
    await db
      .selectFrom('groups')
      .selectAll()
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute(),
  );
}

export async function listGroups(
  db: Db,
  f: { query?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<Group[]> {
  let q = db.selectFrom('groups').selectAll().where('deleted_at', 'is', null).orderBy('id').limit(f.limit);
  if (f.query) q = q.where(sql<boolean>`lower(name) like ${likePattern(f.query)}`);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return withOwners(db, await q.execute());
}

export async function updateGroupRow(
  db: Db,
  id: string,
  set: { name?: string; description?: string; ownerGroupId?: string | null },
  now: Date,
) {
  await db
    .updateTable('groups')
    .set({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.description !== undefined ? { description: set.description } : {}),
      ...(set.ownerGroupId !== undefined ? { owner_group_id: set.ownerGroupId } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function markGroupDeleted(db: Db, id: string, now: Date) {
  await db.updateTable('groups').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Live items whose owner group is this group: deleting it would orphan their ownership. */
export async function itemsOwnedByGroup(db: Db, groupId: string): Promise<string[]> {
  const groups = await db
    .selectFrom('groups')
    .select('id')
    .where('owner_group_id', '=', groupId)
    .where('deleted_at', 'is', null)
    .execute();
  const resources = await db
    .selectFrom('resources')
    .select('id')
    .where('owner_group_id', '=', groupId)
    .where('deleted_at', 'is', null)
    .execute();
  return [...groups, ...resources].map((r) => r.id);
}

export const likePattern = (query: string) => `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Whether a live group already has this name (names are unique in any case). */
export async function groupNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('groups')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
