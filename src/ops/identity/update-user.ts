import { conflict, forbidden, notFound } from '../../domain/errors.js';
import { lockAdminRoster } from '../../store/locks.js';
import { checkLockout, revokeOnSuspension } from '../shared/user-status.js';
import { type Actor, type Role, type User, type UserStatus } from '../../domain/users.js';
import { findUserById, updateUser as storeUpdateUser } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import type { NewEvent } from '../../store/events.js';

export interface UpdateUserInput {
  name?: string | undefined;
  role?: Role | undefined;
  status?: UserStatus | undefined;
}

export async function updateUser(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
): Promise<User> {
  authorize(actor, 'account', 'update', { userId: id }, 'only admins can change users');
  return runInTransaction(deps, async (trx) => {
    // Lock, re-check, act: changes to users run one after another, and each re-reads its actor, so two admins
    // suspending each other at once cannot both succeed and leave no admin at all.
    await lockAdminRoster(trx);
    const self = await findUserById(trx, actor.id);
    if (!self || self.status !== 'active' || self.role !== 'admin')
      throw forbidden('your account is no longer an active admin');
    const before = await findUserById(trx, id, true);
    if (!before) throw notFound('user', id);
    if (before.deprovisionedAt)
      throw conflict('this user was deprovisioned by the identity provider; it stays only for history');
    const patch = { ...input, name: input.name?.trim() };
    await checkLockout(trx, before, {
      role: patch.role ?? before.role,
      status: patch.status ?? before.status,
    });
    const after = await storeUpdateUser(trx, id, patch);
    const revokedTokens = await revokeOnSuspension(trx, before, after.status, deps.now());
    const suspended = before.status !== 'suspended' && after.status === 'suspended';
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['name', 'role', 'status'] as const) {
      if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
    }
    const events: NewEvent[] = Object.keys(changes).length
      ? [
          {
            type: suspended ? 'user.suspended' : 'user.updated',
            actorId: actor.id,
            subjects: [{ type: 'user', id }, ...revokedTokens.map((t) => ({ type: 'token', id: t }))],
            data: suspended ? { changes, revokedTokens: revokedTokens.length } : { changes },
          },
        ]
      : [];
    return { result: after, events };
  });
}
