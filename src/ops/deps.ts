import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { ChainedEvent } from '../domain/audit-chain.js';

/** What every operation may use. Factories and routes pass this down; nothing reaches for globals. */
export interface OpsDeps {
  db: Kysely<Database>;
  now: () => Date;
  /** Called after a transaction that wrote events has committed (cache invalidation, notifications). */
  afterCommit?: (events: ChainedEvent[]) => void;
}

export type Tx = Transaction<Database>;
