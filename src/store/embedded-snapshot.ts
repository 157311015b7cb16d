import type { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { readAuditHead } from './events.js';
import type { Database } from './schema.js';

/** A consistent copy of the embedded store, and what it holds, for a backup archive. */
export interface StoreSnapshot {
  /** The PostgreSQL data directory (pgdata) as a gzipped tarball, as PGlite dumps it. */
  data: Uint8Array;
  /** The audit chain's head in the copy: a restore verifies the chain up to here. */
  auditHead: { seq: number; hash: string };
  /** Migrations applied in the copy. */
  migrations: string[];
  takenAt: Date;
}

/**
 * The embedded pool has exactly one connection. Holding it, no transaction is in flight and none starts until
 * the dump is done: the copy holds every commit acknowledged before it began and no part of a later one. The
 * checkpoint first writes every change into the data files, so a restore starts without replaying WAL.
 */
export async function takeEmbeddedSnapshot(db: Kysely<Database>, pglite: PGlite): Promise<StoreSnapshot> {
  return db.connection().execute(async (conn) => {
    await sql`checkpoint`.execute(conn);
    const head = await readAuditHead(conn);
    const migrations = await sql<{ name: string }>`select name from latch_migrations order by name`.execute(
      conn,
    );
    const takenAt = new Date();
    const dump = await pglite.dumpDataDir('gzip');
    return {
      data: new Uint8Array(await dump.arrayBuffer()),
      auditHead: { seq: Number(head.seq), hash: head.hash },
      migrations: migrations.rows.map((r) => r.name),
      takenAt,
    };
  });
}
