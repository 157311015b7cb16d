import { conflict } from '../../domain/errors.js';
import type { User } from '../../domain/users.js';
import { lockAdminRoster } from '../../store/locks.js';
import { revokeTokensOf } from '../../store/tokens.js';
import { countActiveAdmins } from '../../store/users.js';
import type { Tx } from './deps.js';

/**
 * The rules of taking access away from a person, for every path that does it (an admin's change, the identity
 * provider's deactivation or deprovisioning): the last active admin cannot be locked out, and suspension
 * revokes the user's API tokens, which ends their browser sessions; re-activation does not revive them.
 * Runs under the admin roster lock, so two changes cannot both see another admin left.
 */
export async function checkLockout(trx: Tx, before: User, after: { role: string; status: string }) {
  await lockAdminRoster(trx);
  const demotes = after.role !== 'admin' || after.status !== 'active';
  if (before.role === 'admin' && before.status === 'active' && demotes && (await countActiveAdmins(trx)) <= 1)
    throw conflict('this is the last active admin; make another admin first');
}

/** After the status was written: the tokens a suspension revokes (none for any other change). */
export async function revokeOnSuspension(trx: Tx, before: User, afterStatus: string, now: Date) {
  const suspended = before.status !== 'suspended' && afterStatus === 'suspended';
  return suspended ? revokeTokensOf(trx, before.id, now) : [];
}
