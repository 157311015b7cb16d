import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Serialises changes to the group graph, so two concurrent edges cannot form a cycle between them. */
export async function lockNesting(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(7166002)`.execute(trx);
}

/**
 * True when `from` reaches `to` through live group→group edges (not removed, not expired: an expired edge can
 * never count again). Read inside the nesting lock, so it sees every committed edge.
 */
export async function groupReaches(
  trx: Transaction<Database>,
  from: string,
  to: string,
  now: Date,
): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    with recursive reach(group_id) as (
      select ${from}::text
      union
      select a.asset_group_id from assets a join reach r on a.group_id = r.group_id
      where a.asset_group_id is not null and a.removed_at is null and (a.expires_at is null or a.expires_at > ${now})
    )
    select exists(select 1 from reach where group_id = ${to}) as found`.execute(trx);
  return result.rows[0]?.found === true;
}

/** The live edges (to groups and to resources) out of every group `from` reaches: what its members reach. */
export async function liveEdgesReachableFrom(
  db: Kysely<Database> | Transaction<Database>,
  from: string,
  now: Date,
): Promise<
  {
    parentGroupId: string;
    childGroupId: string | null;
    resourceId: string | null;
    accessLevel: string | null;
  }[]
> {
  const live = sql`a.removed_at is null and (a.expires_at is null or a.expires_at > ${now})`;
  const result = await sql<{
    parent: string;
    child: string | null;
    resource: string | null;
    level: string | null;
  }>`
    with recursive reach(group_id) as (
      select ${from}::text
      union
      select a.asset_group_id from assets a join reach r on a.group_id = r.group_id
      where a.asset_group_id is not null and ${live}
    )
    select a.group_id as parent, a.asset_group_id as child, a.asset_resource_id as resource, a.access_level as level
    from assets a where a.group_id in (select group_id from reach) and ${live}
    order by a.group_id, a.id`.execute(db);
  return result.rows.map((r) => ({
    parentGroupId: r.parent,
    childGroupId: r.child,
    resourceId: r.resource,
    accessLevel: r.level,
  }));
}
