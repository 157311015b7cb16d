import pg from 'pg';
import { TargetError } from '../connector.js';
import {
  DEFAULT_SSLMODE,
  type PostgresConfig,
  type PostgresSecrets,
  type PostgresSslMode,
} from './postgres-config.js';
import { describeFailure, isConnectionLost, toTargetError } from './postgres-errors.js';

// The connector's connections to the target: a pool of two, bounded in time on both sides, that outlives
// restarts of the target. Every failure leaves here as a TargetError (or a defect, unchanged).

export interface PostgresConnectorOptions {
  /** Default 5 s, at most 60 s. */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout (and lock_timeout); default 10 s, at most 120 s. */
  statementTimeoutMs?: number;
}

export interface TargetPool {
  /** `host:port`, for messages. */
  where: string;
  statementTimeoutMs: number;
  /** Runs `fn` on a pooled client; `privilegeHint` names what a permission error (42501) means here. */
  run<T>(doing: string, fn: (c: pg.PoolClient) => Promise<T>, privilegeHint?: string): Promise<T>;
  /** A failure in words for an admin, never with the password. */
  describe(err: unknown, doing: string): string;
  close(): Promise<void>;
}

const PRIVILEGE_HINT =
  'the login role needs CREATEROLE (PostgreSQL 16 and later: also ADMIN OPTION on the role)';

function bounded(value: number | undefined, fallback: number, max: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 100 || v > max)
    throw new RangeError(`${what} must be from 100 to ${max} ms`);
  return v;
}

function ssl(mode: PostgresSslMode): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  // require: encrypted, certificate unchecked (as libpq's sslmode=require); verify-full: chain and host name.
  return { rejectUnauthorized: mode === 'verify-full' };
}

export function openTargetPool(
  config: PostgresConfig,
  secrets: PostgresSecrets,
  options: PostgresConnectorOptions,
): TargetPool {
  const connectTimeoutMs = bounded(options.connectTimeoutMs, 5_000, 60_000, 'connectTimeoutMs');
  const statementTimeoutMs = bounded(options.statementTimeoutMs, 10_000, 120_000, 'statementTimeoutMs');
  const where = `${config.host}:${config.port}`;
  const { password } = secrets;
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password,
    ssl: ssl(config.sslmode ?? DEFAULT_SSLMODE),
    max: 4,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    lock_timeout: statementTimeoutMs,
    // Client-side too: a target that stops answering (not refusing) must not hold a call forever.
    query_timeout: statementTimeoutMs + 2_000,
    application_name: 'latch-provisioning',
    keepAlive: true,
    allowExitOnIdle: true,
  });
  // A target restart kills pooled connections: the pool drops an idle one itself (its 'error' event) and a
  // checked-out one fails its query. Neither may become an unhandled 'error' that ends the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  let closed = false;

  const ctx = (doing: string, privilegeHint = PRIVILEGE_HINT) => ({ where, doing, privilegeHint, password });

  return {
    where,
    statementTimeoutMs,
    // Every operation is idempotent and re-reads state first, so one that lost its connection (a pooled one
    // that died with a restart) runs once more on a fresh connection rather than failing.
    async run(doing, fn, privilegeHint) {
      for (let attempt = 1; ; attempt++) {
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (err) {
          throw toTargetError(err, ctx(`connecting (${doing})`, privilegeHint));
        }
        try {
          const result = await fn(client);
          client.release();
          return result;
        } catch (err) {
          // Our own refusals leave the connection sound; after anything else it is discarded, not reused.
          client.release(err instanceof TargetError ? undefined : true);
          if (attempt === 1 && isConnectionLost(err)) continue;
          throw toTargetError(err, ctx(doing, privilegeHint));
        }
      }
    },
    describe: (err, doing) => describeFailure(err, ctx(doing)),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
