import { MIN_BOOTSTRAP_TOKEN_LENGTH } from '../../domain/tokens.js';
import { anyAdminExists } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { insertNewUser } from './create-user.js';
import { insertNewToken } from './mint-token.js';
import { runInTransaction } from '../shared/transaction.js';
import { lockBootstrap } from '../../store/locks.js';

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** Set only when Latch generated the token: it is printed once and never stored in clear. */
  generatedToken?: string;
}

export class BootstrapConfigError extends Error {}

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
    if (await anyAdminExists(trx)) return { result: { created: false }, events: [] };
    const { user, event: userEvent } = await insertNewUser(
      trx,
      now,
      { email, name: 'Administrator', role: 'admin' },
      null,
    );
    const secret = configuredToken;
    const { token, event: tokenEvent } = await insertNewToken(
      trx,
      now,
      { userId: user.id, name: 'bootstrap', ...(secret ? { secret } : {}) },
      null,
    );
    const result: BootstrapResult = { created: true, email: user.email };
    if (!configuredToken) result.generatedToken = token.token;
    return { result, events: [userEvent, tokenEvent] };
  });
}
