import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/audit-chain.js';
import { AppError } from '../../domain/errors.js';
import { open, seal } from '../../keys/secret-box.js';
import { claimIdempotencyKey, storeIdempotentResult } from '../../store/idempotency-keys.js';
import type { OpsDeps, Tx } from './deps.js';

// Idempotency keys for creates: a client that retries after an ambiguous failure (a timeout, a 503, a lost
// connection) sends the same Idempotency-Key, and gets the first attempt's answer instead of a second grant or
// activation. The key is claimed, and the result stored, in the same transaction as the change: both or
// neither. Results are sealed with the secret key, as a minted token may be among them.

export interface Idempotency {
  actorId: string;
  key: string;
  /** What was asked (method, route, parameters, body): a key reused for another request is refused. */
  fingerprint: string;
  /** Set when the answer is the stored one of an earlier attempt. */
  replayed?: boolean;
}

export const requestFingerprint = (request: unknown) =>
  createHash('sha256').update(canonicalJson(request)).digest('hex');

/** The operations' dependencies for one request carrying an idempotency key. */
export const withIdempotency = (deps: OpsDeps, idempotency: Idempotency | undefined): OpsDeps =>
  idempotency ? { ...deps, idempotency } : deps;

const context = (i: Idempotency) => `idempotency_keys/${i.actorId}/${i.key}`;

/** Claims the key; an earlier attempt's result when there is one (the transaction then changes nothing). */
export async function replayOrClaim(
  trx: Tx,
  deps: Pick<OpsDeps, 'keys' | 'now'>,
  i: Idempotency,
): Promise<{ result: unknown } | undefined> {
  const prior = await claimIdempotencyKey(trx, { ...i, now: deps.now() });
  if (!prior) return undefined;
  if (prior.fingerprint !== i.fingerprint)
    throw new AppError(
      'idempotency_key_reused',
      `Idempotency-Key '${i.key}' was used for a different request; use a new key for a new request`,
    );
  if (prior.resultSealed === null) return { result: undefined };
  i.replayed = true;
  return { result: JSON.parse(open(deps.keys.secret, prior.resultSealed, context(i))) as unknown };
}

export async function rememberResult(
  trx: Tx,
  deps: Pick<OpsDeps, 'keys'>,
  i: Idempotency,
  result: unknown,
): Promise<void> {
  const sealed = seal(deps.keys.secret, JSON.stringify(result ?? null), context(i));
  await storeIdempotentResult(trx, { actorId: i.actorId, key: i.key, resultSealed: sealed });
}
