import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

// The store's handles, for code outside src/store that passes them along: only src/store speaks Kysely.

/** A connection pool to the store's database. */
export type StoreDb = Kysely<Database>;
/** An open transaction on it. */
export type StoreTx = Transaction<Database>;
