import { notFound } from '../../domain/errors.js';
import { isSessionLive } from '../../domain/sessions.js';
import { hashToken } from '../../domain/tokens.js';
import { findSessionByHash } from '../../store/sessions.js';
import type { Actor, User } from '../../domain/users.js';
import { listTokens as storeListTokens, type TokenInfo } from '../../store/tokens.js';
import { findUserById, listUsers as storeListUsers, type UserListFilter } from '../../store/users.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of users and tokens. Anyone signed in may look a person up by id (names behind ids in requests, members
// and events); listing and searching people is for admins and auditors.

export async function listUsers(deps: OpsDeps, actor: Actor, f: UserListFilter): Promise<User[]> {
  authorize(actor, 'directory', 'list', {}, 'only admins and auditors can list users');
  return storeListUsers(deps.db, f);
}

export async function getUser(deps: OpsDeps, actor: Actor, id: string): Promise<User> {
  authorize(actor, 'account', 'view', { userId: id }, () => notFound('user', id));
  const user = await findUserById(deps.db, id);
  if (!user) throw notFound('user', id);
  return user;
}

export async function listTokens(deps: OpsDeps, actor: Actor, userId: string): Promise<TokenInfo[]> {
  authorize(actor, 'account', 'manageTokens', { userId }, () => notFound('user', userId));
  if (!(await findUserById(deps.db, userId))) throw notFound('user', userId);
  return storeListTokens(deps.db, userId);
}

/** The live browser session a cookie's secret names, if any: signing out needs its CSRF token. */
export async function liveSession(deps: OpsDeps, secret: string) {
  const session = await findSessionByHash(deps.db, hashToken(secret));
  return session && isSessionLive(session, deps.now()) ? session : undefined;
}
