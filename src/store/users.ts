import { sql, type Kysely, type Transaction } from 'kysely';
import type { Role, User, UserSource, UserStatus } from '../domain/users.js';
import type { Database, NewUserRow, UserRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  status: r.status as UserStatus,
  createdAt: r.created_at.toISOString(),
  source: r.source as UserSource,
  externalId: r.external_id,
  deprovisionedAt: r.deprovisioned_at?.toISOString() ?? null,
});

export async function insertUser(db: Db, row: NewUserRow): Promise<User> {
  return toUser(await db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findUserById(db: Db, id: string, lock = false): Promise<User | undefined> {
  let q = db.selectFrom('users').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toUser(row);
}

export async function findUserByEmail(db: Db, normalizedEmail: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email_normalized', '=', normalizedEmail)
    .where('deprovisioned_at', 'is', null)
    .executeTakeFirst();
  return row && toUser(row);
}

/** Users by normalized e-mail, for turning typed e-mails into ids. */
export async function findUsersByEmails(db: Db, normalizedEmails: string[]): Promise<User[]> {
  if (normalizedEmails.length === 0) return [];
  return (
    await db
      .selectFrom('users')
      .selectAll()
      .where('email_normalized', 'in', normalizedEmails)
      .where('deprovisioned_at', 'is', null)
      .execute()
  ).map(toUser);
}

export async function findUsersByIds(db: Db, ids: string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('users').selectAll().where('id', 'in', ids).execute()).map(toUser);
}

export interface UserListFilter {
  query?: string | undefined;
  afterId?: string | undefined;
  limit: number;
  /** Leave out suspended accounts. */
  activeOnly?: boolean | undefined;
}

export async function listUsers(db: Db, f: UserListFilter): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().orderBy('id').limit(f.limit);
  if (f.query) {
    const pattern = `%${f.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('email_normalized', 'like', pattern), eb(sql`lower(name)`, 'like', pattern)]),
    );
  }
  if (f.afterId) q = q.where('id', '>', f.afterId);
  if (f.activeOnly) q = q.where('status', '=', 'active');
  return (await q.execute()).map(toUser);
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { name?: string | undefined; role?: Role | undefined; status?: UserStatus | undefined },
): Promise<User> {
  const set: Partial<Record<'name' | 'role' | 'status', string>> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.status !== undefined) set.status = patch.status;
  const row = await db
    .updateTable('users')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The active users among `ids`, in id order (suspended users hear of nothing and review nothing). */
export async function activeUserIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Every active admin, in id order. */
export async function activeAdminIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The e-mail of each of `ids` (or of every active user), for mapping users to accounts in connected systems. */
export async function userEmails(db: Db, ids?: readonly string[]): Promise<Map<string, string>> {
  if (ids && ids.length === 0) return new Map();
  let q = db.selectFrom('users').select(['id', 'email']);
  q = ids ? q.where('id', 'in', [...new Set(ids)]) : q.where('status', '=', 'active');
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
