import type { Kysely, Transaction } from 'kysely';
import type { User } from '../domain/users.js';
import type { Database } from './schema.js';
import { toUser } from './users.js';

// The link between a user and the identity provider's `sub` (users.oidc_subject, unique where set).

type Db = Kysely<Database> | Transaction<Database>;

/** The user linked to `subject`, deprovisioned ones included (they are refused, not re-created). */
export async function findUserByOidcSubject(
  db: Db,
  subject: string,
  lock = false,
): Promise<User | undefined> {
  let q = db.selectFrom('users').selectAll().where('oidc_subject', '=', subject);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toUser(row);
}

/** The live user with this normalized e-mail and the subject it is linked to, if any. */
export async function findLiveUserByEmailWithSubject(
  db: Db,
  normalizedEmail: string,
): Promise<{ user: User; oidcSubject: string | null } | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email_normalized', '=', normalizedEmail)
    .where('deprovisioned_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && { user: toUser(row), oidcSubject: row.oidc_subject };
}

export async function linkOidcSubject(db: Db, userId: string, subject: string, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ oidc_subject: subject, updated_at: now })
    .where('id', '=', userId)
    .execute();
}
