import { secretKeyId, seal, isSecretOpenError } from '../../keys/secret-box.js';
import { lockSealedValues, replaceSealedValue, type SealedValue } from '../../store/sealed-secrets.js';
import { sealClearChannels, sealClearSchedules } from './seal-clear.js';
import { openFor, sealedContext } from './stored-secrets.js';
import { runInTransaction, type TransactionDeps } from '../shared/transaction.js';

// Re-seals every stored secret under a new secret key, in one transaction: every value must open under the key in
// use first, or nothing changes. Secrets still in clear are sealed under the new key on the way. The key itself is
// not stored: the caller puts it where Latch reads it (the data directory's key file, or LATCH_SECRET_KEY).

export class SecretRotationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretRotationRefused';
  }
}

export interface RotationResult {
  notificationChannels: number;
  onCallSchedules: number;
  connections: number;
  /** Rows whose secrets were still in clear, sealed under the new key. */
  sealedFromClear: number;
  fromKeyId: string;
  toKeyId: string;
}

export async function rotateSecretKey(deps: TransactionDeps, newKey: Buffer): Promise<RotationResult> {
  const fromKeyId = secretKeyId(deps.keys.secret);
  const toKeyId = secretKeyId(newKey);
  if (fromKeyId === toKeyId) throw new SecretRotationRefused('the new key is the secret key already in use');
  return runInTransaction(deps, async (trx) => {
    const values = await lockSealedValues(trx);
    const opened = values.map((v) => ({ v, plaintext: tryOpen(deps, v) }));
    const failed = opened.filter((o) => o.plaintext instanceof Error);
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new SecretRotationRefused(
        `${failed.length} of ${values.length} stored secrets do not open under the secret key in use ` +
          `(key ${fromKeyId}), so nothing was changed; the first is ${first.v.table} ${first.v.id}: ` +
          `${(first.plaintext as Error).message}`,
      );
    }
    for (const { v, plaintext } of opened)
      await replaceSealedValue(trx, {
        ...v,
        sealed: seal(newKey, plaintext as string, sealedContext(v.table, v.id)),
      });
    const next = { secret: newKey };
    const fromClear = [...(await sealClearChannels(trx, next)), ...(await sealClearSchedules(trx, next))];
    const count = (table: SealedValue['table']) => values.filter((v) => v.table === table).length;
    const result: RotationResult = {
      notificationChannels: count('notification_channels'),
      onCallSchedules: count('on_call_schedules'),
      connections: count('connections'),
      sealedFromClear: fromClear.length,
      fromKeyId,
      toKeyId,
    };
    return {
      result,
      events: [{ type: 'secrets.rotated', actorId: null, subjects: [], data: { ...result } }],
    };
  });
}

function tryOpen(deps: TransactionDeps, v: SealedValue): string | Error {
  try {
    return openFor(deps.keys, v.table, v.id, v.sealed);
  } catch (err) {
    if (isSecretOpenError(err)) return err;
    throw err;
  }
}
