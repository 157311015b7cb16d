import type { StoreDb, StoreTx } from '../../store/handles.js';
import type { IndexReader } from '../../access/index-reader.js';
import type { Idempotency } from './idempotency.js';
import type { ChainedEvent } from '../../domain/audit-chain.js';
import type { Keys } from '../../keys/load-keys.js';
import type { OutboundPolicy } from './outbound/policy.js';
import type { RateLimiter } from './rate-limiter.js';
import type { StoreSnapshot } from '../../store/embedded-snapshot.js';
import type { ConnectorKinds } from '../../domain/connections/connector.js';

/** What every operation may use. Factories and routes pass this down; nothing reaches for globals. */
export interface OpsDeps {
  db: StoreDb;
  now: () => Date;
  /** The audit key (seals the event chain) and the secret key (encrypts stored secrets). */
  keys: Keys;
  /**
   * Effective access as of the last applied change; operations read it for ownership and membership. It refuses
   * to answer (503 index_behind) while it knows it is stale.
   */
  index: IndexReader;
  /**
   * Awaited after a transaction that wrote events has committed and before the operation returns, so what a
   * caller was told has happened is already visible to checks (the access index catches up here).
   */
  afterCommit?: (events: ChainedEvent[]) => Promise<void>;
  /** Set for one request that carries an Idempotency-Key: its create runs at most once (shared/idempotency.ts). */
  idempotency?: Idempotency;
  /** Where failures that must not fail the caller are reported (after a commit, say); they are logged. */
  reportError?: (err: unknown, context: string) => void;
  /** How long a request may wait for a decision before it lapses (minutes); DEFAULT_REQUEST_TTL_MINUTES if unset. */
  requestTtlMinutes?: number;
  /** How often remote on-call schedules are fetched (ms); 5 minutes if unset. */
  onCallSyncIntervalMs?: number;
  /** Where calls to providers, Slack, webhooks and SMTP may go; public destinations only if unset. */
  outbound?: OutboundPolicy;
  /** Live on-call fetches an admin may ask for, per schedule; none if unset. */
  liveOnCallFetches?: RateLimiter;
  /** Embedded store only: a consistent copy of it for a backup (PostgreSQL is backed up with pg_dump). */
  snapshotStore?: () => Promise<StoreSnapshot>;
  /** The connectors to real systems (PostgreSQL, LDAP, SCIM); connected systems are unavailable if unset. */
  connectors?: ConnectorKinds;
}

export type Tx = StoreTx;
