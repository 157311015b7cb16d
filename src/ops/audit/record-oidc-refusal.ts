import type { OidcRefusalReason } from '../../domain/oidc/sign-in.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { RefusalThrottle } from './refusal-throttle.js';

// A refused single sign-on is on record as `session.refused` with `method: oidc`: why, from where, and whose
// account it was when the provider's answer named one. Never a code, a token or the provider's own message.
// Flood-protected per source address, reason and user, like refused token sign-ins.

export async function recordOidcRefusal(
  deps: Pick<OpsDeps, 'db' | 'keys' | 'afterCommit' | 'now'>,
  throttle: RefusalThrottle,
  refusal: { reason: OidcRefusalReason; userId: string | null; address: string; via: 'browser' | 'exchange' },
): Promise<void> {
  const now = deps.now();
  const admitted = throttle.admit(
    `${refusal.address}\u0000${refusal.via}\u0000${refusal.reason}\u0000${refusal.userId ?? ''}`,
    now,
  );
  if (!admitted) return;
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'session.refused',
        actorId: null,
        subjects: refusal.userId ? [{ type: 'user', id: refusal.userId }] : [],
        data: {
          method: 'oidc',
          via: refusal.via,
          reason: refusal.reason,
          address: refusal.address,
          count: admitted.count,
          since: new Date(admitted.since).toISOString(),
        },
      },
    ],
  }));
}
