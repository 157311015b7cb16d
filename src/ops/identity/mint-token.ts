import { forbidden, invalid, notFound } from '../../domain/errors.js';
import { generateTokenSecret, hashToken } from '../../domain/tokens.js';
import { type Actor } from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import { insertToken, type TokenInfo, type TokenScope } from '../../store/tokens.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import type { NewEvent } from '../../store/events.js';

export interface MintedToken extends TokenInfo {
  /** The secret, returned exactly once. */
  token: string;
}

/** Stores a token (given, or freshly generated) for a user and returns the event describing it. */
export async function insertNewToken(
  trx: Tx,
  now: Date,
  input: { userId: string; name: string; expiresAt?: Date | null; secret?: string; scope?: TokenScope },
  actorId: string | null,
) {
  const secret = input.secret ?? generateTokenSecret();
  const info = await insertToken(trx, {
    id: newId('tok'),
    userId: input.userId,
    name: input.name,
    tokenHash: hashToken(secret),
    createdAt: now,
    expiresAt: input.expiresAt ?? null,
    ...(input.scope ? { scope: input.scope } : {}),
  });
  const event: NewEvent = {
    type: 'token.created',
    actorId,
    subjects: [
      { type: 'user', id: input.userId },
      { type: 'token', id: info.id },
    ],
    data: { name: info.name, expiresAt: info.expiresAt },
  };
  return { token: { ...info, token: secret } as MintedToken, event };
}

export async function mintToken(
  deps: OpsDeps,
  actor: Actor,
  userId: string,
  input: { name: string; expiresAt?: string | undefined },
): Promise<MintedToken> {
  authorize(actor, 'account', 'manageTokens', { userId }, () => notFound('user', userId));
  const now = deps.now();
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalid('expiresAt', 'must be in the future');
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  return runInTransaction(deps, async (trx) => {
    const user = await findUserById(trx, userId);
    if (!user) throw notFound('user', userId);
    if (user.status !== 'active' && actor.id !== userId)
      throw forbidden('cannot mint tokens for a suspended user');
    const { token, event } = await insertNewToken(trx, now, { userId, name, expiresAt }, actor.id);
    return { result: token, events: [event] };
  });
}
