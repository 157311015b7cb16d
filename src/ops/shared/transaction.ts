import { AppError, unavailable } from '../../domain/errors.js';
import { isConnectionFailure } from '../../store/connection-failures.js';
import { appendEvents, type NewEvent } from '../../store/events.js';
import type { OpsDeps, Tx } from './deps.js';
import { rememberResult, replayOrClaim } from './idempotency.js';

/** What a transaction needs: the store, the keys its events are sealed with, and what runs after commit. */
export type TransactionDeps = Pick<OpsDeps, 'db' | 'keys' | 'afterCommit' | 'reportError'> &
  Partial<Pick<OpsDeps, 'idempotency' | 'now'>>;

interface PgError {
  code?: string;
  constraint?: string;
  /** For a unique violation: "Key (lower(name))=(prod-db) already exists." */
  detail?: string;
}

/** Unique constraints a caller's input can hit, by what they keep unique. */
const UNIQUE_NAMES: Record<string, string> = {
  groups_name_live_idx: 'a group named',
  resources_name_live_idx: 'a resource named',
  connections_name_key: 'a connection named',
};

/** The sentence for a unique violation: the name taken, when the constraint is one people meet. */
function duplicateMessage(pgErr: PgError): string {
  const what = pgErr.constraint ? UNIQUE_NAMES[pgErr.constraint] : undefined;
  const value = /\)=\((.*)\) already exists/s.exec(pgErr.detail ?? '')?.[1];
  if (what && value !== undefined) return `${what} '${value}' already exists (names are unique in any case)`;
  return `already exists (${pgErr.constraint ?? 'unique constraint'})`;
}

/**
 * Runs a use case in one transaction: its changes and its audit events commit together or not at all.
 * The callback returns its result and the events to append; events go last so the chain lock is held briefly.
 */
export async function runInTransaction<T>(
  deps: TransactionDeps,
  work: (trx: Tx) => Promise<{ result: T; events: NewEvent[] }>,
): Promise<T> {
  let written: Awaited<ReturnType<typeof appendEvents>> = [];
  let result: T;
  const idempotency = deps.idempotency;
  const now = deps.now ?? (() => new Date());
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      if (idempotency) {
        const earlier = await replayOrClaim(trx, { keys: deps.keys, now }, idempotency);
        if (earlier) return earlier.result as T;
      }
      const out = await work(trx);
      written = await appendEvents(trx, deps.keys.audit, out.events);
      if (idempotency) await rememberResult(trx, deps, idempotency, out.result);
      return out.result;
    });
  } catch (err) {
    throw translateDbError(err);
  }
  // Committed: the caller is told so whatever happens next. What follows a commit (the access index catching up,
  // the workers woken) is retried by its owner when it fails; until then the index refuses to answer.
  if (written.length > 0)
    await deps.afterCommit?.(written).catch((err: unknown) => deps.reportError?.(err, 'after commit'));
  return result;
}

/** Constraint violations that input can cause become conflicts, never 500s; a lost database is a 503. */
export function translateDbError(err: unknown): unknown {
  if (isConnectionFailure(err)) return unavailable();
  const pgErr = err as PgError;
  if (pgErr?.code === '23505') return new AppError('conflict', duplicateMessage(pgErr));
  if (pgErr?.code === '23503')
    return new AppError(
      'conflict',
      `a referenced row does not exist or is still referenced (${pgErr.constraint ?? 'foreign key'})`,
    );
  return err;
}
