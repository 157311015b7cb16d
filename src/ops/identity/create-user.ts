import { conflict, invalid } from '../../domain/errors.js';
import {
  isPlausibleEmail,
  normalizeEmail,
  type Actor,
  type Role,
  type User,
  type UserSource,
} from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import { findUserByEmail, insertUser } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import type { NewEvent } from '../../store/events.js';

export interface CreateUserInput {
  email: string;
  name: string;
  role?: Role | undefined;
}

/** Where a new user comes from: typed in (local), or a first single sign-on, linked to the provider's `sub`. */
export type UserOrigin = { source: 'local' } | { source: Extract<UserSource, 'oidc'>; oidcSubject: string };

/** Inserts the user and returns the event describing it; shared with the bootstrap of the first admin. */
export async function insertNewUser(
  trx: Tx,
  now: Date,
  input: CreateUserInput,
  actorId: string | null,
  origin: UserOrigin = { source: 'local' },
) {
  const email = input.email.trim();
  if (!isPlausibleEmail(email)) throw invalid('email', 'is not an e-mail address');
  const name = input.name.trim();
  if (name.length === 0) throw invalid('name', 'must not be blank');
  const emailNormalized = normalizeEmail(email);
  if (await findUserByEmail(trx, emailNormalized))
    throw conflict(`a user with e-mail '${email}' already exists`);
  const user = await insertUser(trx, {
    id: newId('usr'),
    email,
    email_normalized: emailNormalized,
    user_name: email,
    name,
    role: input.role ?? 'member',
    status: 'active',
    created_at: now,
    updated_at: now,
    ...(origin.source === 'oidc' ? { source: 'oidc', oidc_subject: origin.oidcSubject } : {}),
  });
  const event: NewEvent = {
    type: 'user.created',
    actorId,
    subjects: [{ type: 'user', id: user.id }],
    data: {
      email: user.email,
      name: user.name,
      role: user.role,
      ...(origin.source === 'local' ? {} : { source: origin.source }),
    },
  };
  return { user, event };
}

export async function createUser(deps: OpsDeps, actor: Actor, input: CreateUserInput): Promise<User> {
  authorize(actor, 'account', 'create', { userId: '' }, 'only admins can create users');
  return runInTransaction(deps, async (trx) => {
    const { user, event } = await insertNewUser(trx, deps.now(), input, actor.id);
    return { result: user, events: [event] };
  });
}
