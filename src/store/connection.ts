import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
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

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export async function openPostgres(databaseUrl: string, poolSize = 10): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
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

export async function openEmbedded(dataDir: string | undefined, loadDataDir?: Blob): Promise<Store> {
  let lock: DataDirLock | undefined;
  let pglite: PGlite;
  if (dataDir) {
    lock = acquireDataDirLock(dataDir);
    pglite = new PGlite(join(resolve(dataDir), 'pgdata'), loadDataDir ? { loadDataDir } : {});
  } else {
    pglite = new PGlite(loadDataDir ? { loadDataDir } : {});
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
  return {
    kind: 'embedded',
    db,
    location: dataDir ? resolve(dataDir) : 'memory',
    dumpDataDir: () => pglite.dumpDataDir('none'),
    notices: lock?.replaced ? [lock.replaced] : [],
    async close() {
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
