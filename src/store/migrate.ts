import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-access-model.js';
import * as m0003 from './migrations/0003-break-glass.js';
import * as m0004 from './migrations/0004-requests.js';
import * as m0005 from './migrations/0005-time-engine.js';
import * as m0006 from './migrations/0006-sessions.js';
import * as m0007 from './migrations/0007-on-call.js';
import * as m0008 from './migrations/0008-user-directory.js';
import * as m0009 from './migrations/0009-sync-error-detail.js';
import * as m0010 from './migrations/0010-audit-key.js';
import * as m0011 from './migrations/0011-retention.js';
import * as m0012 from './migrations/0012-sealed-secrets.js';
import * as m0014 from './migrations/0014-idempotency-keys.js';
import * as m0015 from './migrations/0015-inbox-reads.js';
import * as m0016 from './migrations/0016-identity-sources.js';
import * as m0017 from './migrations/0017-session-tokens.js';
import * as m0018 from './migrations/0018-connections.js';
import * as m0019 from './migrations/0019-access-reviews.js';
import * as m0020 from './migrations/0020-review-item-reviewers.js';
import * as m0021 from './migrations/0021-review-nested-blocks.js';
import * as m0022 from './migrations/0022-review-sources-by-group.js';

// The one migration set for both stores, applied at start-up. Append-only: a shipped migration never changes.
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-access-model': m0002,
  '0003-break-glass': m0003,
  '0004-requests': m0004,
  '0005-time-engine': m0005,
  '0006-sessions': m0006,
  '0007-on-call': m0007,
  '0008-user-directory': m0008,
  '0009-sync-error-detail': m0009,
  '0010-audit-key': m0010,
  '0011-retention': m0011,
  '0012-sealed-secrets': m0012,
  '0014-idempotency-keys': m0014,
  '0015-inbox-reads': m0015,
  '0016-identity-sources': m0016,
  '0017-session-tokens': m0017,
  '0018-connections': m0018,
  '0019-access-reviews': m0019,
  '0020-review-item-reviewers': m0020,
  '0021-review-nested-blocks': m0021,
  '0022-review-sources-by-group': m0022,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema version
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'latch_migrations',
    migrationLockTableName: 'latch_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied: what /readyz reports. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema version
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'latch_migrations',
    migrationLockTableName: 'latch_migrations_lock',
  });
  const applied = await migrator.getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
}

export const knownMigrations = () => Object.keys(migrations);

/** A round trip to the database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema version
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}
