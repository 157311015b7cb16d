import { sql, type Kysely, type Transaction } from 'kysely';
import { emptyGrantColumns, type GrantColumns, type GrantSource } from '../domain/access-facts.js';
import { grantEndMs } from '../domain/grants.js';
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

/**
 * Every grant not ended or expired at `now`, column by column, for building the index. Each column is read as a
 * JSON array aggregated by the database, in `parts` queries side by side: a million rows parsed one by one by
 * the driver (a Date per timestamp) took most of a large server's start-up, and then an array per grant did.
 */
export async function liveGrantColumns(db: Db, now: Date, parts = 4): Promise<GrantColumns> {
  const ms = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)`;
  const chunks = await Promise.all(
    Array.from({ length: parts }, (_, part) =>
      sql<{ grants: string }>`
        select json_build_array(json_agg(id), json_agg(user_id), json_agg(group_id), json_agg(resource_id),
                                json_agg(access_level), json_agg(source), json_agg(${ms('starts_at')}),
                                json_agg(${ms('expires_at')}), json_agg(${ms('ended_at')}))::text as grants
          from grants
         where (ended_at is null or ended_at > ${now}) and (expires_at is null or expires_at > ${now})
           and mod(abs(hashtext(id)), ${parts}) = ${part}
         group by mod(abs(hashtext(id)), 64)`.execute(db),
    ),
  );
  const out = emptyGrantColumns();
  for (const { rows } of chunks)
    for (const r of rows) {
      const [ids, users, groups, resources, levels, sources, starts, expires, ended] = JSON.parse(
        r.grants,
      ) as [
        string[],
        string[],
        (string | null)[],
        (string | null)[],
        (string | null)[],
        GrantSource[],
        number[],
        (number | null)[],
        (number | null)[],
      ];
      for (let i = 0; i < ids.length; i++) {
        out.ids.push(ids[i]!);
        out.userIds.push(users[i]!);
        out.groupIds.push(groups[i]!);
        out.resourceIds.push(resources[i]!);
        out.accessLevels.push(levels[i]!);
        out.sources.push(sources[i]!);
        out.startsAt.push(starts[i]!);
        out.endsAt.push(grantEndMs(expires[i]!, ended[i]!));
      }
    }
  return out;
}
