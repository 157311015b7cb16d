import { sql, type Kysely, type Transaction } from 'kysely';
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

/** A grant as the index reads it: id, user, group, resource, access level, source, then start, expiry and end in ms. */
export type LiveGrantTuple = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  number,
  number | null,
  number | null,
];

/**
 * Every grant not ended or expired at `now`, for building the index. Read as JSON arrays aggregated by the
 * database, in `parts` queries side by side: a million rows parsed one by one by the driver (a Date per
 * timestamp) took most of a large server's start-up.
 */
export async function liveGrantTuples(db: Db, now: Date, parts = 4): Promise<LiveGrantTuple[]> {
  const ms = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)`;
  const chunks = await Promise.all(
    Array.from({ length: parts }, (_, part) =>
      sql<{ grants: string }>`
        select json_agg(json_build_array(id, user_id, group_id, resource_id, access_level, source,
                        ${ms('starts_at')}, ${ms('expires_at')}, ${ms('ended_at')}))::text as grants
          from grants
         where (ended_at is null or ended_at > ${now}) and (expires_at is null or expires_at > ${now})
           and mod(abs(hashtext(id)), ${parts}) = ${part}
         group by mod(abs(hashtext(id)), 64)`.execute(db),
    ),
  );
  const out: LiveGrantTuple[] = [];
  for (const { rows } of chunks)
    for (const r of rows) for (const t of JSON.parse(r.grants) as LiveGrantTuple[]) out.push(t);
  return out;
}
