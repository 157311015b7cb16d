import { sql, type Kysely, type Transaction } from 'kysely';
import type { GroupSource } from '../domain/items.js';
import { toUser } from './users.js';
import type { Database, UserRow } from './schema.js';
import { uuidv7 } from './ids.js';
import type { User } from '../domain/users.js';

// What the SCIM service provider reads and writes beyond the ordinary user and group rows: the provider's
// names (userName, externalId, extra attributes) and a SCIM group's memberships, which are open-ended grants of
// source `idp`, written and ended in bulk.

type Db = Kysely<Database> | Transaction<Database>;

export interface ScimUserRecord {
  user: User;
  userName: string;
  attributes: Record<string, unknown> | null;
  updatedAt: string;
}

const toRecord = (r: UserRow): ScimUserRecord => ({
  user: toUser(r),
  userName: r.user_name,
  attributes: r.scim_attributes,
  updatedAt: r.updated_at.toISOString(),
});

/** A lookup the store can answer from an index; anything else is read in full and filtered by the caller. */
export type UserLookup = { by: 'userName' | 'email' | 'externalId' | 'id'; value: string } | { by: 'all' };

/**
 * Users as the provider sees them, oldest first: deprovisioned users are gone for it (RFC 7644 §3.6), though
 * their rows stay for history.
 */
export async function scimUsers(db: Db, lookup: UserLookup): Promise<ScimUserRecord[]> {
  let q = db.selectFrom('users').selectAll().where('deprovisioned_at', 'is', null);
  if (lookup.by === 'userName') q = q.where(sql<string>`lower(user_name)`, '=', lookup.value.toLowerCase());
  if (lookup.by === 'externalId') q = q.where('external_id', '=', lookup.value);
  if (lookup.by === 'id') q = q.where('id', '=', lookup.value);
  return (await q.orderBy('id').execute()).map(toRecord);
}

export async function scimUserById(db: Db, id: string, lock = false): Promise<ScimUserRecord | undefined> {
  let q = db.selectFrom('users').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toRecord(row);
}

export async function scimUsersByIds(db: Db, ids: readonly string[]): Promise<ScimUserRecord[]> {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute()
  ).map(toRecord);
}

/** A live user already holding this userName or e-mail (both unique among live users), other than `exceptId`. */
export async function liveUserNamed(
  db: Db,
  userName: string,
  email: string,
  exceptId?: string,
): Promise<{ id: string; userName: string; email: string } | undefined> {
  let q = db
    .selectFrom('users')
    .select(['id', 'user_name', 'email'])
    .where('deprovisioned_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(user_name)`, '=', userName.toLowerCase()),
        eb('email_normalized', '=', email.trim().toLowerCase()),
      ]),
    );
  if (exceptId) q = q.where('id', '<>', exceptId);
  const row = await q.executeTakeFirst();
  return row && { id: row.id, userName: row.user_name, email: row.email };
}

export interface ScimUserFields {
  userName: string;
  email: string;
  name: string;
  externalId: string | null;
  attributes: Record<string, unknown>;
}

export async function insertScimUser(
  db: Db,
  id: string,
  f: ScimUserFields & { status: 'active' | 'suspended' },
  now: Date,
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id,
      email: f.email,
      email_normalized: f.email.trim().toLowerCase(),
      user_name: f.userName,
      name: f.name,
      role: 'member',
      status: f.status,
      source: 'scim',
      external_id: f.externalId,
      scim_attributes: JSON.stringify(f.attributes),
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Rewrites what the provider owns of a user; the status is changed by the caller (suspension has rules). */
export async function updateScimUserFields(db: Db, id: string, f: ScimUserFields, now: Date) {
  await db
    .updateTable('users')
    .set({
      email: f.email,
      email_normalized: f.email.trim().toLowerCase(),
      user_name: f.userName,
      name: f.name,
      external_id: f.externalId,
      scim_attributes: JSON.stringify(f.attributes),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function setUserStatus(db: Db, id: string, status: 'active' | 'suspended', now: Date) {
  await db.updateTable('users').set({ status, updated_at: now }).where('id', '=', id).execute();
}

export async function markUserDeprovisioned(db: Db, id: string, now: Date) {
  await db
    .updateTable('users')
    .set({ status: 'suspended', deprovisioned_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Every grant of the user that has not ended, locked: what deprovisioning ends. */
export async function liveGrantIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export interface ScimGroupRecord {
  id: string;
  name: string;
  source: GroupSource;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function scimGroups(
  db: Db,
  lookup: { by: 'displayName' | 'externalId' | 'id'; value: string } | { by: 'all' },
): Promise<ScimGroupRecord[]> {
  let q = db
    .selectFrom('groups')
    .select(['id', 'name', 'source', 'external_id', 'created_at', 'updated_at'])
    .where('deleted_at', 'is', null);
  if (lookup.by === 'displayName') q = q.where(sql<string>`lower(name)`, '=', lookup.value.toLowerCase());
  if (lookup.by === 'externalId') q = q.where('external_id', '=', lookup.value);
  if (lookup.by === 'id') q = q.where('id', '=', lookup.value);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    source: r.source as GroupSource,
    externalId: r.external_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function lockScimGroup(db: Db, id: string): Promise<ScimGroupRecord | undefined> {
  const row = await db
    .selectFrom('groups')
    .select(['id', 'name', 'source', 'external_id', 'created_at', 'updated_at'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      source: row.source as GroupSource,
      externalId: row.external_id,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }
  );
}

export async function insertScimGroup(
  db: Db,
  g: { id: string; name: string; externalId: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto('groups')
    .values({
      id: g.id,
      name: g.name,
      description: '',
      owner_group_id: null,
      source: 'scim',
      external_id: g.externalId,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateScimGroupFields(
  db: Db,
  id: string,
  f: { name: string; externalId: string | null },
  now: Date,
) {
  await db
    .updateTable('groups')
    .set({ name: f.name, external_id: f.externalId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The identity provider's memberships of groups: live `idp` grants, by group. */
export async function idpMembers(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, { grantId: string; userId: string; name: string }[]>> {
  const out = new Map<string, { grantId: string; userId: string; name: string }[]>();
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .select(['grants.id as grant_id', 'grants.group_id', 'grants.user_id', 'users.name'])
    .where('grants.group_id', 'in', [...groupIds])
    .where('grants.source', '=', 'idp')
    .where('grants.ended_at', 'is', null)
    .orderBy('grants.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.group_id!) ?? [];
    list.push({ grantId: r.grant_id, userId: r.user_id, name: r.name });
    out.set(r.group_id!, list);
  }
  return out;
}

/** Open-ended `idp` grants of one group, one row per user, written in one statement; returns their ids. */
export async function insertIdpGrants(
  db: Db,
  groupId: string,
  userIds: readonly string[],
  actorId: string,
  now: Date,
): Promise<{ grantId: string; userId: string }[]> {
  if (userIds.length === 0) return [];
  const rows = userIds.map((userId) => ({
    id: `grt_${uuidv7()}`,
    user_id: userId,
    group_id: groupId,
    resource_id: null,
    access_level: null,
    source: 'idp',
    reason: null,
    request_id: null,
    created_by: actorId,
    created_at: now,
    starts_at: now,
    expires_at: null,
  }));
  const out: { grantId: string; userId: string }[] = [];
  // Bounded statements: PostgreSQL takes at most 65,535 parameters in one.
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await db.insertInto('grants').values(chunk).execute();
    for (const r of chunk) out.push({ grantId: r.id, userId: r.user_id });
  }
  return out;
}

/** Ends grants in one statement per chunk. */
export async function endGrants(
  db: Db,
  grantIds: readonly string[],
  at: Date,
  by: string,
  reason: string,
): Promise<void> {
  for (let i = 0; i < grantIds.length; i += 5000) {
    await db
      .updateTable('grants')
      .set({ ended_at: at, ended_by: by, end_reason: reason })
      .where('id', 'in', grantIds.slice(i, i + 5000))
      .where('ended_at', 'is', null)
      .execute();
  }
}
