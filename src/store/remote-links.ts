import type { Kysely, Transaction } from 'kysely';
import type { RemoteLink } from '../domain/connections/connection.js';
import type { RemoteLinkRow } from './schema-connections.js';
import type { Database } from './schema.js';

// Which Latch group or resource stands for which remote item (a role, an LDAP group, a SCIM group). A remote
// item is linked to one Latch item at most; a deleted item's link is kept until its accounts are taken out.

type Db = Kysely<Database> | Transaction<Database>;

export const toRemoteLink = (r: RemoteLinkRow): RemoteLink => ({
  connectionId: r.connection_id,
  remoteId: r.remote_id,
  remoteName: r.remote_name,
  ...(r.access_level !== null ? { accessLevel: r.access_level } : {}),
});

export async function linksOfItems(db: Db, itemIds: readonly string[]): Promise<Map<string, RemoteLink>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.selectFrom('remote_links').selectAll().where('item_id', 'in', itemIds).execute();
  return new Map(rows.map((r) => [r.item_id, toRemoteLink(r)]));
}

export async function findLink(db: Db, itemId: string, lock = false): Promise<RemoteLinkRow | undefined> {
  let q = db.selectFrom('remote_links').selectAll().where('item_id', '=', itemId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function linkOfRemote(db: Db, connectionId: string, remoteId: string) {
  return db
    .selectFrom('remote_links')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('remote_id', '=', remoteId)
    .executeTakeFirst();
}

export async function linksOfConnection(db: Db, connectionId: string): Promise<RemoteLinkRow[]> {
  return db
    .selectFrom('remote_links')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('item_id')
    .execute();
}

export async function allLinks(db: Db): Promise<RemoteLinkRow[]> {
  return db.selectFrom('remote_links').selectAll().orderBy('item_id').execute();
}

export async function insertLink(
  db: Db,
  link: { itemId: string; itemType: 'group' | 'resource'; accessLevel: string | null } & Omit<
    RemoteLink,
    'accessLevel'
  >,
  now: Date,
): Promise<void> {
  await db
    .insertInto('remote_links')
    .values({
      item_id: link.itemId,
      item_type: link.itemType,
      access_level: link.accessLevel,
      connection_id: link.connectionId,
      remote_id: link.remoteId,
      remote_name: link.remoteName,
      linked_at: now,
    })
    .execute();
}

export async function deleteLink(db: Db, itemId: string): Promise<void> {
  await db.deleteFrom('remote_links').where('item_id', '=', itemId).execute();
}

/** A plan found unchanged as of `seq`: recorded as made then, without touching the item's rows. */
export async function touchPlanned(db: Db, itemId: string, at: Date, seq: number): Promise<void> {
  await db
    .updateTable('remote_links')
    .set((eb) => ({ planned_at: at, planned_seq: eb.fn('greatest', [eb.ref('planned_seq'), eb.val(seq)]) }))
    .where('item_id', '=', itemId)
    .execute();
}

export async function markPlanned(db: Db, itemId: string, at: Date, seq: number): Promise<void> {
  await db
    .updateTable('remote_links')
    .set({ planned_at: at, planned_seq: seq })
    .where('item_id', '=', itemId)
    .execute();
}

/** Whether the linked item was deleted (its link stays until the accounts Latch put in the target are out). */
export async function linkedItemDeleted(db: Db, itemId: string, itemType: string): Promise<boolean> {
  const table = itemType === 'group' ? 'groups' : 'resources';
  const row = await db.selectFrom(table).select('deleted_at').where('id', '=', itemId).executeTakeFirst();
  return !row || row.deleted_at !== null;
}
