import { ConfigError } from '../../config.js';
import { MIN_BOOTSTRAP_TOKEN_LENGTH } from '../../domain/tokens.js';
import { normalizeEmail, type User } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { countActiveAdmins, findUserByEmail, updateUser as updateUserRow } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { insertNewUser } from './create-user.js';
import { insertNewToken } from './mint-token.js';
import { runInTransaction } from '../shared/transaction.js';
import { lockBootstrap } from '../../store/locks.js';

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** The bootstrap e-mail's user existed and was made an active admin again (no active admin was left). */
  restored?: boolean;
  /** Set only when Latch generated the token: it is printed once and never stored in clear. */
  generatedToken?: string;
}

/** A bootstrap setting Latch cannot use: reported like any other configuration error. */
export class BootstrapConfigError extends ConfigError {}

/** The bootstrap admin: created, or (when that e-mail's user exists, suspended or demoted) made an active admin. */
async function adminFor(trx: Tx, email: string, now: Date): Promise<{ user: User; event: NewEvent }> {
  const existing = await findUserByEmail(trx, normalizeEmail(email));
  if (!existing) return insertNewUser(trx, now, { email, name: 'Administrator', role: 'admin' }, null);
  const user = await updateUserRow(trx, existing.id, { role: 'admin', status: 'active' });
  const changes = {
    role: { from: existing.role, to: 'admin' },
    status: { from: existing.status, to: 'active' },
  };
  return {
    user,
    event: {
      type: 'user.updated',
      actorId: null,
      subjects: [{ type: 'user', id: user.id }],
      data: { changes, reason: 'bootstrap: no active admin was left' },
    },
  };
}

/**
 * Creates the first admin when none exists. With a configured token that token is registered; without one a
 * token is generated for the operator to copy from standard output. Idempotent across restarts and safe when
 * several processes start at once (the transaction takes an advisory lock).
 */
export async function bootstrapAdmin(
  deps: Pick<OpsDeps, 'db' | 'now' | 'keys'>,
  email: string,
  configuredToken?: string,
): Promise<BootstrapResult> {
  if (configuredToken !== undefined && configuredToken.length < MIN_BOOTSTRAP_TOKEN_LENGTH) {
    throw new BootstrapConfigError(
      `LATCH_BOOTSTRAP_ADMIN_TOKEN must be at least ${MIN_BOOTSTRAP_TOKEN_LENGTH} characters`,
    );
  }
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    await lockBootstrap(trx);
    // An active admin, not any admin: with every admin suspended nobody could manage Latch again.
    if ((await countActiveAdmins(trx)) > 0) return { result: { created: false }, events: [] };
    const { user, event: userEvent } = await adminFor(trx, email, now);
    const secret = configuredToken;
    const { token, event: tokenEvent } = await insertNewToken(
      trx,
      now,
      { userId: user.id, name: 'bootstrap', ...(secret ? { secret } : {}) },
      null,
    );
    const result: BootstrapResult = { created: true, email: user.email };
    if (userEvent.type === 'user.updated') result.restored = true;
    if (!configuredToken) result.generatedToken = token.token;
    return { result, events: [userEvent, tokenEvent] };
  });
}
