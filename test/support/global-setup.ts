import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openEmbedded, openPostgres } from '../../src/store/connection.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { TEMPLATE_DB, withDatabase } from './test-store.js';

// Builds the migrated template once per run: a dumped PGlite data directory for the embedded store, or a
// template database on the PostgreSQL server named by LATCH_TEST_DATABASE_URL. Test files clone it.
export default async function setup() {
  const adminUrl = process.env.LATCH_TEST_DATABASE_URL;
  if (adminUrl) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${TEMPLATE_DB}`);
    await client.query(`create database ${TEMPLATE_DB}`);
    await client.end();
    const store = await openPostgres(withDatabase(adminUrl, TEMPLATE_DB), 2);
    await migrateToLatest(store.db);
    await store.close();
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'latch-template-'));
  const store = await openEmbedded(undefined);
  await migrateToLatest(store.db);
  const dump = await store.dumpDataDir!();
  await store.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.LATCH_TEST_TEMPLATE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
