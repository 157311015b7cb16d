import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

// What the access index and its directory of known ids read besides grants and edges: users (which exist, which
// are suspended), live groups, and live resources with their access levels.

type Db = Kysely<Database> | Transaction<Database>;

export interface UserState {
  id: string;
  suspended: boolean;
}

/** Live (not deleted) resources with their access levels. */
export interface ResourceLevels {
  id: string;
  accessLevels: string[];
}

export async function allUserStates(db: Db): Promise<UserState[]> {
  const rows = await db.selectFrom('users').select(['id', 'status']).execute();
  return rows.map((r) => ({ id: r.id, suspended: r.status === 'suspended' }));
}

export async function userStatesByIds(db: Db, ids: string[]): Promise<UserState[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'status']).where('id', 'in', ids).execute();
  return rows.map((r) => ({ id: r.id, suspended: r.status === 'suspended' }));
}

/** The live groups among `ids`, or every live group when `ids` is undefined. */
export async function liveGroupIds(db: Db, ids?: string[]): Promise<string[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom('groups').select('id').where('deleted_at', 'is', null);
  if (ids) q = q.where('id', 'in', ids);
  return (await q.execute()).map((r) => r.id);
}

/** The live resources among `ids` with their levels, or every live resource when `ids` is undefined. */
export async function liveResourceLevels(db: Db, ids?: string[]): Promise<ResourceLevels[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom('resources').select(['id', 'access_levels']).where('deleted_at', 'is', null);
  if (ids) q = q.where('id', 'in', ids);
  return (await q.execute()).map((r) => ({ id: r.id, accessLevels: r.access_levels }));
}
