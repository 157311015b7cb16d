import { invalid, notFound } from '../../domain/errors.js';
import { reviewsAnOpenCampaign } from '../../store/access-reviews.js';
import { reviewsAPendingItem } from '../../store/request-reads.js';
import { itemsOwnedBy } from '../shared/ownership.js';
import { isSessionLive } from '../../domain/sessions.js';
import { hashToken } from '../../domain/tokens.js';
import { findSessionByHash } from '../../store/sessions.js';
import { normalizeEmail, type Actor, type User } from '../../domain/users.js';
import { listTokens as storeListTokens, type TokenInfo } from '../../store/tokens.js';
import {
  findUserById,
  findUsersByEmails,
  listUsers as storeListUsers,
  type UserListFilter,
} from '../../store/users.js';
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
    listUsers: can(actor, 'directory', 'list', { picksPeople: false }),
    createUsers: can(actor, 'account', 'create', someoneElse),
    manageUsers: can(actor, 'account', 'update', someoneElse),
    manageSchedules: can(actor, 'schedule', 'manage', {}),
    syncSchedules: can(actor, 'schedule', 'sync', {}),
    manageChannels: can(actor, 'channel', 'manage', {}),
    readAuditLog: can(actor, 'audit', 'readAll', {}),
    verifyAuditLog: can(actor, 'audit', 'verify', {}),
    takeBackups: can(actor, 'backup', 'take', {}),
    manageScimTokens: can(actor, 'provisioning', 'manageScimTokens', {}),
    viewConnections: can(actor, 'connection', 'view', {}),
    manageConnections: can(actor, 'connection', 'manage', {}),
    createAccessReviews: can(actor, 'accessReview', 'create', { isReviewer: false }),
  };
}
export type UserAbilities = ReturnType<typeof userAbilities>;

/** The signed-in user as /me and the browser session show them: the account and its abilities. */
export const meView = (user: User): User & { abilities: UserAbilities } => ({
  ...user,
  abilities: userAbilities(user),
});

/** What those who may search but not list the directory see of a person. */
export type UserCard = Pick<User, 'id' | 'name' | 'email'>;

/** The shortest search text for those who search the directory without listing it. */
export const MIN_SEARCH_LENGTH = 2;

/**
 * GET /users: admins and auditors list every account; owners, reviewers of pending requests and of open access
 * review campaigns search active people by part of a name or e-mail and see their cards only.
 */
export async function listUsers(
  deps: OpsDeps,
  actor: Actor,
  f: UserListFilter,
): Promise<User[] | UserCard[]> {
  if (can(actor, 'directory', 'list', { picksPeople: false })) return storeListUsers(deps.db, f);
  const picksPeople =
    (await itemsOwnedBy(deps, actor.id, deps.now())).length > 0 ||
    (await reviewsAPendingItem(deps.db, actor.id)) ||
    (await reviewsAnOpenCampaign(deps.db, actor.id));
  authorize(
    actor,
    'directory',
    'search',
    { picksPeople },
    'only admins and auditors can list users; owners and reviewers can search them by name or e-mail',
  );
  const query = f.query?.trim() ?? '';
  if (query.length < MIN_SEARCH_LENGTH)
    throw invalid('query', `type at least ${MIN_SEARCH_LENGTH} characters of a name or e-mail to search`);
  const found = await storeListUsers(deps.db, { ...f, query, activeOnly: true });
  return found.map((u) => ({ id: u.id, name: u.name, email: u.email }));
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

/**
 * The ids of the users with these e-mails (case-insensitively), keyed by the e-mail as given; e-mails nobody
 * has are left out. Anyone signed in may look a colleague up by exact e-mail, as by id.
 */
export async function resolveUserEmails(deps: OpsDeps, emails: string[]): Promise<Map<string, string>> {
  const byNormalized = new Map<string, string[]>();
  for (const e of emails)
    byNormalized.set(normalizeEmail(e), [...(byNormalized.get(normalizeEmail(e)) ?? []), e]);
  const found = await findUsersByEmails(deps.db, [...byNormalized.keys()]);
  const ids = new Map<string, string>();
  for (const u of found)
    for (const given of byNormalized.get(normalizeEmail(u.email)) ?? []) ids.set(given, u.id);
  return ids;
}
