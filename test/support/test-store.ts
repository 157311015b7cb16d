import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openEmbedded, openPostgres, type Store } from '../../src/store/connection.js';

// The store matrix: the same suite runs on the embedded store (default) and on PostgreSQL when
// LATCH_TEST_DATABASE_URL names a server. Each clone is a fresh, already migrated database.

export const TEMPLATE_DB = 'latch_template';
export const storeKind = () => (process.env.LATCH_TEST_DATABASE_URL ? 'postgres' : 'embedded');

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let templateBlob: Blob | undefined;

/** A fresh migrated store cloned from the run's template. Cheap on PostgreSQL, ~0.5 s embedded: clone per file. */
export async function cloneTestStore(): Promise<Store> {
  const adminUrl = process.env.LATCH_TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `latch_test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`create database ${name} template ${TEMPLATE_DB}`);
    } finally {
      await client.end();
    }
    return openPostgres(withDatabase(adminUrl, name), 5);
  }
  const file = process.env.LATCH_TEST_TEMPLATE;
  if (!file) throw new Error('no store template: run tests through vitest (test/support/global-setup.ts)');
  templateBlob ??= new Blob([readFileSync(file)]);
  return openEmbedded(undefined, templateBlob);
}
