import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { startEmbeddedCheckpoints, type CheckpointOptions } from './embedded-checkpoints.js';
import { embeddedStartParams, type EmbeddedSettings } from './embedded-settings.js';
import { takeEmbeddedSnapshot, type StoreSnapshot } from './embedded-snapshot.js';
import type { Database } from './schema.js';

// One Kysely over a pg.Pool for both stores: PostgreSQL directly, or PGlite through its node-postgres adapter.

// int8 (seq numbers, counts) as numbers: every value we store stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type StoreKind = 'embedded' | 'postgres';

export interface Store {
  kind: StoreKind;
  db: Kysely<Database>;
  /** Where the data lives, for messages: the data directory or the URL without its password. */
  location: string;
  /** PostgreSQL only: a fresh client for LISTEN, which a pooled connection cannot hold. */
  databaseUrl?: string;
  /** Embedded only: a tarball of the data directory, from which another instance can start. */
  dumpDataDir?: () => Promise<Blob>;
  /** Embedded only: a consistent copy for a backup, taken while the store stays open. */
  snapshot?: () => Promise<StoreSnapshot>;
  /** What opening found and repaired (a stale or copied lock), for the caller to log. */
  notices: string[];
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Embedded only: start from this dump of a data directory (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export interface EmbeddedOptions {
  /** PostgreSQL settings; EMBEDDED_SETTINGS by default ({} runs PGlite's defaults, for the bench). */
  settings?: EmbeddedSettings;
  /** When the store checkpoints itself (see embedded-checkpoints.ts); false: never (PGlite's behaviour). */
  checkpoints?: CheckpointOptions | false;
  /** Runs once the data directory is locked and before PGlite opens it (a restore clears it here). */
  beforeOpen?: (pgdataDir: string) => void;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** Connections a process's pool opens at most on PostgreSQL (its LISTEN connection is apart). */
export const DEFAULT_POOL_SIZE = 10;

export async function openPostgres(databaseUrl: string, poolSize = DEFAULT_POOL_SIZE): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // A connection the server drops (a restart, a failover) emits 'error': on an idle one the pool does, on one in
  // use the client itself, and an unheard 'error' would end the process. The query in flight fails and is
  // answered 503; the broken client is discarded when released and the pool opens a new one.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: redactUrl(databaseUrl),
    databaseUrl,
    notices: [],
    close: () => db.destroy(),
  };
}

export async function openEmbedded(
  dataDir: string | undefined,
  loadDataDir?: Blob,
  options: EmbeddedOptions = {},
): Promise<Store> {
  let lock: DataDirLock | undefined;
  let pglite: PGlite;
  const pgliteOptions = {
    startParams: embeddedStartParams(options.settings),
    ...(loadDataDir ? { loadDataDir } : {}),
  };
  if (dataDir) {
    lock = acquireDataDirLock(dataDir);
    const pgdata = join(resolve(dataDir), 'pgdata');
    try {
      options.beforeOpen?.(pgdata);
    } catch (err) {
      lock.release();
      throw err;
    }
    pglite = new PGlite(pgdata, pgliteOptions);
  } else {
    pglite = new PGlite(pgliteOptions);
  }
  try {
    await pglite.waitReady;
  } catch (err) {
    lock?.release();
    throw err;
  }
  // PGlite is one connection: a pool of one serialises transactions, which is what it can do anyway.
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const checkpoints =
    options.checkpoints === false ? undefined : startEmbeddedCheckpoints(db, options.checkpoints);
  return {
    kind: 'embedded',
    db,
    location: dataDir ? resolve(dataDir) : 'memory',
    dumpDataDir: () => pglite.dumpDataDir('none'),
    snapshot: () => takeEmbeddedSnapshot(db, pglite),
    notices: lock?.replaced ? [lock.replaced] : [],
    async close() {
      await checkpoints?.stop();
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

export function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize);
  return openEmbedded(options.dataDir, options.loadDataDir);
}
