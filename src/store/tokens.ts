import type { Kysely, Transaction } from 'kysely';
import type { Database, TokenRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /**
   * api: the whole API as its user; scim: the SCIM service provider only; session: backs one browser session
   * signed in through single sign-on (its secret was never kept).
   */
  scope: TokenScope;
}

export type TokenScope = 'api' | 'scim' | 'session';

export const toTokenInfo = (r: TokenRow): TokenInfo => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  scope: r.scope as TokenScope,
});

export async function insertToken(
  db: Db,
  row: {
    id: string;
    userId: string;
    name: string;
    tokenHash: string;
    createdAt: Date;
    expiresAt: Date | null;
    scope?: TokenScope;
  },
): Promise<TokenInfo> {
  const inserted = await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      user_id: row.userId,
      name: row.name,
      token_hash: row.tokenHash,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
      scope: row.scope ?? 'api',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTokenInfo(inserted);
}

export async function findTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<(TokenInfo & { tokenHash: string }) | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { ...toTokenInfo(row), tokenHash: row.token_hash };
}

export async function listTokens(db: Db, userId: string): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('scope', '=', 'api')
    .orderBy('id')
    .execute();
  return rows.map(toTokenInfo);
}

export async function findToken(db: Db, userId: string, tokenId: string): Promise<TokenInfo | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('scope', '=', 'api')
    .where('id', '=', tokenId)
    .forUpdate()
    .executeTakeFirst();
  return row && toTokenInfo(row);
}

export async function markTokenRevoked(db: Db, tokenId: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).execute();
}

export async function touchToken(db: Db, tokenId: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

/**
 * Revokes every API and session token of the user not revoked yet; returns their ids. SCIM tokens the user minted are the
 * organisation's connection to its identity provider, not the user's credentials: admins revoke those.
 */
export async function revokeTokensOf(db: Db, userId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('scope', 'in', ['api', 'session'])
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Every SCIM token, whoever minted it, newest last. */
export async function listScimTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('scope', '=', 'scim')
    .orderBy('id')
    .execute();
  return rows.map(toTokenInfo);
}

export async function findScimToken(db: Db, tokenId: string): Promise<TokenInfo | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('scope', '=', 'scim')
    .where('id', '=', tokenId)
    .forUpdate()
    .executeTakeFirst();
  return row && toTokenInfo(row);
}

/** Revokes the token behind a browser session when it exists for that session alone (scope session). */
export async function revokeSessionToken(db: Db, tokenId: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('scope', '=', 'session')
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
