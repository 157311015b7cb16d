import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KeyFileError } from '../keys/key-files.js';
import { loadAuditKey, MissingKeysError } from '../keys/load-keys.js';
import { verifyAuditLog, type VerifyResult } from '../ops/audit/verify.js';
import { BackupArchiveError, decodeBackupArchive, type BackupManifest } from '../store/backup-archive.js';
import { openEmbedded } from '../store/connection.js';
import { knownMigrations, migrateToLatest } from '../store/migrate.js';
import { CliError } from './client.js';

// `latch restore`: an archive of `latch backup` into an embedded data directory, migrated and verified.

export const KEY_FILES = ['audit.key', 'secret.key'] as const;

export interface RestoreOptions {
  force: boolean;
  keysFrom?: string | undefined;
  /** LATCH_AUDIT_KEY, when the key is given that way rather than as a file. */
  auditKey?: string | undefined;
}

export interface RestoreResult {
  dataDir: string;
  manifest: BackupManifest;
  migrationsApplied: string[];
  keysCopied: string[];
  /** Null when no audit key was at hand to verify with; `unverified` then says why. */
  verify: VerifyResult | null;
  unverified?: string;
  notices: string[];
}

function readArchive(file: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return decodeBackupArchive(bytes);
  } catch (err) {
    if (err instanceof BackupArchiveError) throw new CliError(`${file} cannot be restored: ${err.message}`);
    throw err;
  }
}

/** The key files to copy from `keysFrom` (those present there), refused up front if one would be overwritten. */
function keysToCopy(dataDir: string, keysFrom: string | undefined, force: boolean): string[] {
  if (!keysFrom) return [];
  if (!existsSync(keysFrom)) throw new CliError(`--keys-from ${keysFrom}: no such directory`);
  const present = KEY_FILES.filter((k) => existsSync(join(keysFrom, k)));
  const clash = present.find((k) => existsSync(join(dataDir, k)));
  if (clash && !force)
    throw new CliError(`${join(dataDir, clash)} already exists; give --force to replace it`);
  return present;
}

export async function restoreBackup(
  file: string,
  dataDirOption: string,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const { manifest, data } = readArchive(file);
  const unknown = manifest.migrations.filter((m) => !knownMigrations().includes(m));
  if (unknown.length > 0)
    throw new CliError(
      `${file} was made by a newer Latch (${manifest.latchVersion}; migration ${unknown[0]} is unknown here): ` +
        'restore it with that version or newer',
    );
  const dataDir = resolve(dataDirOption);
  const keys = keysToCopy(dataDir, opts.keysFrom, opts.force);
  const store = await openEmbedded(dataDir, new Blob([data], { type: 'application/x-gzip' }), {
    // Runs under the directory's lock: no server can be using what is cleared here.
    beforeOpen(pgdata) {
      if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
        if (!opts.force)
          throw new CliError(
            `${dataDir} already holds a store; restore into a new directory, or give --force to replace it`,
          );
        rmSync(pgdata, { recursive: true, force: true });
      }
    },
  });
  try {
    const migrationsApplied = await migrateToLatest(store.db);
    for (const key of keys) {
      copyFileSync(join(opts.keysFrom!, key), join(dataDir, key));
      chmodSync(join(dataDir, key), 0o600);
    }
    let audit: Buffer;
    try {
      audit = loadAuditKey({ auditKey: opts.auditKey, storeKind: 'embedded', dataDir });
    } catch (err) {
      if (!(err instanceof MissingKeysError || err instanceof KeyFileError)) throw err;
      const base = { dataDir, manifest, migrationsApplied, keysCopied: keys, notices: store.notices };
      return { ...base, verify: null, unverified: err.message };
    }
    const verify = await verifyAuditLog({ db: store.db, keys: { audit } });
    return { dataDir, manifest, migrationsApplied, keysCopied: keys, verify, notices: store.notices };
  } finally {
    await store.close();
  }
}
