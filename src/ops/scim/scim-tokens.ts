import { invalid, notFound } from '../../domain/errors.js';
import { generateTokenSecret, hashToken } from '../../domain/tokens.js';
import type { Actor } from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import {
  findScimToken,
  insertToken,
  listScimTokens,
  markTokenRevoked,
  type TokenInfo,
} from '../../store/tokens.js';
import type { OpsDeps } from '../shared/deps.js';
import { authorize } from '../shared/authorization.js';
import { runInTransaction } from '../shared/transaction.js';

// SCIM tokens: bearer tokens of scope scim, for the identity provider's provisioning connection. They work only
// under /scim/v2, whoever minted them, until an admin revokes them. The secret is returned once; only its hash
// is stored.

export interface ScimTokenView {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (t: TokenInfo): ScimTokenView => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  createdBy: t.userId,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

const ADMINS_ONLY = 'only admins manage SCIM tokens';

export async function mintScimToken(
  deps: OpsDeps,
  actor: Actor,
  input: { name: string },
): Promise<ScimTokenView & { token: string }> {
  authorize(actor, 'provisioning', 'manageScimTokens', {}, ADMINS_ONLY);
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  const secret = generateTokenSecret();
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const info = await insertToken(trx, {
      id: newId('tok'),
      userId: actor.id,
      name,
      tokenHash: hashToken(secret),
      createdAt: now,
      expiresAt: null,
      scope: 'scim',
    });
    return {
      result: { ...view(info), token: secret },
      events: [
        {
          type: 'token.created',
          actorId: actor.id,
          subjects: [
            { type: 'user', id: actor.id },
            { type: 'token', id: info.id },
          ],
          data: { name, scope: 'scim', expiresAt: null },
        },
      ],
    };
  });
}

export async function scimTokens(deps: Pick<OpsDeps, 'db'>, actor: Actor): Promise<ScimTokenView[]> {
  authorize(actor, 'provisioning', 'manageScimTokens', {}, ADMINS_ONLY);
  return (await listScimTokens(deps.db)).map(view);
}

/** Revoking twice is harmless: the second call answers the token as already revoked and writes nothing. */
export async function revokeScimToken(deps: OpsDeps, actor: Actor, tokenId: string): Promise<ScimTokenView> {
  authorize(actor, 'provisioning', 'manageScimTokens', {}, ADMINS_ONLY);
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const token = await findScimToken(trx, tokenId);
    if (!token) throw notFound('SCIM token', tokenId);
    if (token.revokedAt) return { result: view(token), events: [] };
    await markTokenRevoked(trx, tokenId, now);
    return {
      result: view({ ...token, revokedAt: now.toISOString() }),
      events: [
        {
          type: 'token.revoked',
          actorId: actor.id,
          subjects: [
            { type: 'user', id: token.userId },
            { type: 'token', id: tokenId },
          ],
          data: { name: token.name, scope: 'scim' },
        },
      ],
    };
  });
}
