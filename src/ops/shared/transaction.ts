import { AppError } from '../../domain/errors.js';
import { appendEvents, type NewEvent } from '../../store/events.js';
import type { OpsDeps, Tx } from './deps.js';

/** What a transaction needs: the store, the keys its events are sealed with, and what runs after commit. */
export type TransactionDeps = Pick<OpsDeps, 'db' | 'keys' | 'afterCommit'>;

interface PgError {
  code?: string;
  constraint?: string;
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
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      const out = await work(trx);
      written = await appendEvents(trx, deps.keys.audit, out.events);
      return out.result;
    });
  } catch (err) {
    throw translateDbError(err);
  }
  if (written.length > 0) await deps.afterCommit?.(written);
  return result;
}

/** Constraint violations that input can cause become conflicts, never 500s. */
export function translateDbError(err: unknown): unknown {
  const pgErr = err as PgError;
  if (pgErr?.code === '23505')
    return new AppError('conflict', `already exists (${pgErr.constraint ?? 'unique constraint'})`);
  if (pgErr?.code === '23503')
    return new AppError(
      'conflict',
      `a referenced row does not exist or is still referenced (${pgErr.constraint ?? 'foreign key'})`,
    );
  return err;
}
