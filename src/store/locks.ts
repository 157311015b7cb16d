import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

// Transaction-scoped advisory locks for changes whose safety depends on rows that may not exist yet or on a
// count over many rows: taken first, they order such transactions one after another.

/** Creating the first admin: two processes starting at once must not both create one. */
export async function lockBootstrap(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(7166001)`.execute(trx);
}

/** Changing who the active admins are: two admins demoting each other at once must not leave none. */
export async function lockAdminRoster(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(7166003)`.execute(trx);
}

/** Submitting a request for a user: two submissions for the same access must not both see none pending. */
export async function lockRequestsFor(trx: Transaction<Database>, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(7166004, hashtext(${userId}))`.execute(trx);
}
