import { sql, type Transaction } from 'kysely';
import type { ReviewScope } from '../domain/access-reviews/campaign.js';
import type { LiveGroupEdge } from '../domain/access-reviews/upward-paths.js';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

// What a campaign's snapshot starts from: its items (named, linked to a connection, or all), their owners, and
// the nesting edges and paths into them. The rows themselves are written by access-review-snapshot.ts.

const liveEdge = (now: Date) => sql`a.removed_at is null and (a.expires_at is null or a.expires_at > ${now})`;

/** Ids in the scope that name no live group, resource or connection. */
export async function missingScopeIds(trx: Trx, scope: ReviewScope): Promise<string[]> {
  const found = async (table: 'groups' | 'resources', ids: string[]) =>
    ids.length === 0
      ? []
      : (
          await trx
            .selectFrom(table)
            .select('id')
            .where('id', 'in', ids)
            .where('deleted_at', 'is', null)
            .execute()
        ).map((r) => r.id);
  const connections = scope.connectionIds.length
    ? (await trx.selectFrom('connections').select('id').where('id', 'in', scope.connectionIds).execute()).map(
        (r) => r.id,
      )
    : [];
  const known = new Set([
    ...(await found('groups', scope.groupIds)),
    ...(await found('resources', scope.resourceIds)),
    ...connections,
  ]);
  return [...scope.groupIds, ...scope.resourceIds, ...scope.connectionIds].filter((id) => !known.has(id));
}

/** The campaign's items: named, linked to a named connection, or every live one; with names as of now. */
export async function insertScopeItems(trx: Trx, reviewId: string, scope: ReviewScope): Promise<void> {
  const linked = sql`select item_id from remote_links where connection_id = any(${sql.val(scope.connectionIds)}::text[])`;
  const pick = (named: string[]) =>
    scope.everything ? sql`true` : sql`(x.id = any(${sql.val(named)}::text[]) or x.id in (${linked}))`;
  await sql`insert into access_review_items (review_id, item_id, item_type, name, owner_group_id)
    select ${reviewId}, x.id, 'group', x.name, x.owner_group_id from groups x
    where x.deleted_at is null and ${pick(scope.groupIds)}
    union all
    select ${reviewId}, x.id, 'resource', x.name, x.owner_group_id from resources x
    where x.deleted_at is null and ${pick(scope.resourceIds)}`.execute(trx);
}

export async function ownerGroupsOfItems(trx: Trx, reviewId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('access_review_items')
    .select('owner_group_id')
    .distinct()
    .where('review_id', '=', reviewId)
    .where('owner_group_id', 'is not', null)
    .execute();
  return rows.map((r) => r.owner_group_id!);
}

/** Each item's active owners: its named owners, and the members of its owner group given (read from the index). */
export async function insertOwnerCandidates(
  trx: Trx,
  reviewId: string,
  ownerGroupMembers: { groupId: string; userId: string }[],
): Promise<void> {
  const groups = ownerGroupMembers.map((m) => m.groupId);
  const users = ownerGroupMembers.map((m) => m.userId);
  await sql`insert into access_review_candidates (review_id, item_id, user_id)
    select distinct o.review_id, o.item_id, o.user_id from (
      select i.review_id, i.item_id, io.user_id from access_review_items i
      join item_owners io on io.item_id = i.item_id where i.review_id = ${reviewId}
      union all
      select i.review_id, i.item_id, m.user_id from access_review_items i
      join unnest(${sql.val(groups)}::text[], ${sql.val(users)}::text[]) as m(group_id, user_id)
        on m.group_id = i.owner_group_id
      where i.review_id = ${reviewId}
    ) o
    join users u on u.id = o.user_id and u.status = 'active'`.execute(trx);
}

export interface EdgeIntoItem {
  id: string;
  parentGroupId: string;
  itemId: string;
  itemIsGroup: boolean;
  accessLevel: string | null;
  endsAt: Date | null;
}

/** Live edges whose asset is one of the campaign's items. */
export async function liveEdgesIntoItems(trx: Trx, reviewId: string, now: Date): Promise<EdgeIntoItem[]> {
  const result = await sql<{
    id: string;
    group_id: string;
    item_id: string;
    item_type: string;
    level: string | null;
    ends: Date | null;
  }>`
    select a.id, a.group_id, i.item_id, i.item_type, a.access_level as level, a.expires_at as ends
    from assets a join access_review_items i
      on i.review_id = ${reviewId} and i.item_id = coalesce(a.asset_group_id, a.asset_resource_id)
    where ${liveEdge(now)}`.execute(trx);
  return result.rows.map((r) => ({
    id: r.id,
    parentGroupId: r.group_id,
    itemId: r.item_id,
    itemIsGroup: r.item_type === 'group',
    accessLevel: r.level,
    endsAt: r.ends === null ? null : new Date(r.ends),
  }));
}

/** Every live group-to-group edge: the graph nesting paths are found in. */
export async function liveGroupEdges(trx: Trx, now: Date): Promise<LiveGroupEdge[]> {
  const result = await sql<{ parent: string; child: string; ends: Date | null }>`
    select a.group_id as parent, a.asset_group_id as child, a.expires_at as ends from assets a
    where a.asset_group_id is not null and ${liveEdge(now)}`.execute(trx);
  return result.rows.map((r) => ({
    parentGroupId: r.parent,
    childGroupId: r.child,
    endsAt: r.ends === null ? null : new Date(r.ends).getTime(),
  }));
}

export interface NewReviewPath {
  pathNo: number;
  edgeId: string;
  itemId: string;
  accessLevel: string | null;
  parentGroupId: string;
  fromGroupId: string;
  groupIds: string[];
  endsAt: Date | null;
}

/** Written as columns: a statement per few thousand paths, each path's groups as a JSON array. */
export async function insertReviewPaths(trx: Trx, reviewId: string, paths: NewReviewPath[]): Promise<void> {
  if (paths.length === 0) return;
  const col = <K extends keyof NewReviewPath>(k: K) => sql.val(paths.map((p) => p[k]));
  await sql`insert into access_review_paths (review_id, path_no, edge_id, item_id, access_level, parent_group_id,
      from_group_id, group_ids, ends_at)
    select ${reviewId}, p.path_no, p.edge_id, p.item_id, p.access_level, p.parent_group_id, p.from_group_id,
      array(select jsonb_array_elements_text(p.group_ids::jsonb)), p.ends_at
    from unnest(${col('pathNo')}::int[], ${col('edgeId')}::text[], ${col('itemId')}::text[],
      ${col('accessLevel')}::text[], ${col('parentGroupId')}::text[], ${col('fromGroupId')}::text[],
      ${sql.val(paths.map((p) => JSON.stringify(p.groupIds)))}::text[],
      ${sql.val(paths.map((p) => p.endsAt?.toISOString() ?? null))}::timestamptz[])
      as p(path_no, edge_id, item_id, access_level, parent_group_id, from_group_id, group_ids, ends_at)`.execute(
    trx,
  );
}
