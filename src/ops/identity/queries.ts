import { notFound } from '../../domain/errors.js';
import { isSessionLive } from '../../domain/sessions.js';
import { hashToken } from '../../domain/tokens.js';
import { findSessionByHash } from '../../store/sessions.js';
import type { Actor, User } from '../../domain/users.js';
import { listTokens as storeListTokens, type TokenInfo } from '../../store/tokens.js';
import { findUserById, listUsers as storeListUsers, type UserListFilter } from '../../store/users.js';
import { authorize, can } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of users and tokens. Anyone signed in may look a person up by id (names behind ids in requests, members
// and events); listing and searching people is for admins and auditors.

/**
 * What a user may do beyond any one item, each answered by the policy rule that the operation itself asks
 * (for item rules: about an item the user does not own), so clients show exactly what the server allows.
 */
export function userAbilities(actor: Actor) {
  const notOwned = { isOwner: false };
  const someoneElse = { userId: '' };
  return {
    createItems: can(actor, 'item', 'create', notOwned),
    manageAllItems: can(actor, 'item', 'update', notOwned),
    listUsers: can(actor, 'directory', 'list', {}),
    createUsers: can(actor, 'account', 'create', someoneElse),
    manageUsers: can(actor, 'account', 'update', someoneElse),
    manageSchedules: can(actor, 'schedule', 'manage', {}),
    syncSchedules: can(actor, 'schedule', 'sync', {}),
    manageChannels: can(actor, 'channel', 'manage', {}),
    readAuditLog: can(actor, 'audit', 'readAll', {}),
    verifyAuditLog: can(actor, 'audit', 'verify', {}),
    takeBackups: can(actor, 'backup', 'take', {}),
  };
}
export type UserAbilities = ReturnType<typeof userAbilities>;

/** The signed-in user as /me and the browser session show them: the account and its abilities. */
export const meView = (user: User): User & { abilities: UserAbilities } => ({
  ...user,
  abilities: userAbilities(user),
});

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
