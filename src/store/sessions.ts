import type { Kysely, Transaction } from 'kysely';
import type { SessionState } from '../domain/sessions.js';
import type { User } from '../domain/users.js';
import type { Database } from './schema.js';
import { toUser } from './users.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A session with what decides whether it is still live: its token and its user. */
export interface SessionRecord extends SessionState {
  id: string;
  userId: string;
  tokenId: string;
  csrfToken: string;
  createdAt: Date;
  user: User;
}

export async function insertSession(
  db: Db,
  row: {
    id: string;
    secretHash: string;
    csrfToken: string;
    userId: string;
    tokenId: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      secret_hash: row.secretHash,
      csrf_token: row.csrfToken,
      user_id: row.userId,
      token_id: row.tokenId,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
      last_seen_at: row.createdAt,
    })
    .execute();
}

/** One query: the session, its token's state and its user, whether or not the session is still live. */
export async function findSessionByHash(db: Db, secretHash: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('api_tokens as t', 't.id', 's.token_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.token_id',
      's.created_at as session_created_at',
      's.expires_at as session_expires_at',
      's.last_seen_at',
      't.expires_at as token_expires_at',
      't.revoked_at as token_revoked_at',
    ])
    .where('s.secret_hash', '=', secretHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const user = toUser(row);
  return {
    id: row.session_id,
    userId: user.id,
    tokenId: row.token_id,
    csrfToken: row.csrf_token,
    createdAt: row.session_created_at,
    expiresAt: row.session_expires_at,
    lastSeenAt: row.last_seen_at,
    tokenExpiresAt: row.token_expires_at,
    tokenRevokedAt: row.token_revoked_at,
    userStatus: user.status,
    user,
  };
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Deletes one session; true when it existed (so a sign-out racing another is audited once). */
export async function deleteSession(db: Db, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('sessions').where('id', '=', id).returning('id').executeTakeFirst();
  return deleted !== undefined;
}
