import type { Command } from 'commander';
import { loadServeConfig, type ServeConfig } from '../../config.js';
import { loadKeys } from '../../keys/load-keys.js';
import {
  BackupArchiveError,
  decodeBackupArchive,
  KEY_FILES_NOTE,
  PG_DUMP_ADVICE,
} from '../../store/backup-archive.js';
import { DataDirLockedError } from '../../store/data-dir-lock.js';
import { CliError, clientConfigFromEnv, print } from '../client.js';
import { downloadBackup } from '../download-backup.js';
import { assertWritable, writeFileAtomically } from '../write-file-atomically.js';

// backup and restore of the embedded store. `backup` asks the running server (LATCH_URL, LATCH_TOKEN), which
// holds the data directory; with --data-dir it opens a directory no server holds. PostgreSQL: pg_dump/pg_restore.

interface BackupOpts {
  force?: boolean;
  dataDir?: string;
  json?: boolean;
}

async function backupOffline(config: ServeConfig): Promise<Buffer[]> {
  const dataDir = config.dataDir;
  const { openEmbedded } = await import('../../store/connection.js');
  const { createBackup } = await import('../../ops/backup/create-backup.js');
  let store;
  try {
    store = await openEmbedded(dataDir);
  } catch (err) {
    if (err instanceof DataDirLockedError)
      throw new CliError(
        `${err.message}, or back up through it: latch backup FILE with LATCH_URL and LATCH_TOKEN`,
      );
    throw err;
  }
  try {
    for (const notice of store.notices) console.error(`latch: ${notice}`);
    const keys = loadKeys({
      storeKind: 'embedded',
      dataDir,
      auditKey: config.auditKey,
      secretKey: config.secretKey,
    });
    const deps = { db: store.db, now: () => new Date(), keys, snapshotStore: store.snapshot };
    return (await createBackup(deps, null)).chunks;
  } finally {
    await store.close();
  }
}

export function registerBackupCommands(program: Command) {
  program
    .command('backup FILE')
    .description('write a backup of the embedded store to FILE (from the running server, or --data-dir)')
    .option(
      '--data-dir <dir>',
      'open this data directory instead of asking the server (no server may hold it)',
    )
    .option('--force', 'replace FILE if it exists')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: BackupOpts) => {
      assertWritable(file, !!opts.force);
      const chunks = opts.dataDir
        ? await backupOffline(loadServeConfig(opts, process.env))
        : [await downloadBackup(clientConfigFromEnv(process.env))];
      const archive = Buffer.concat(chunks);
      let manifest;
      try {
        manifest = decodeBackupArchive(archive).manifest;
      } catch (err) {
        if (err instanceof BackupArchiveError)
          throw new CliError(`the backup taken is unusable: ${err.message}`);
        throw err;
      }
      await writeFileAtomically(file, [archive], !!opts.force);
      const summary = {
        file,
        bytes: archive.length,
        createdAt: manifest.createdAt,
        auditSeq: manifest.auditHead.seq,
      };
      print(!!opts.json, { ...summary, keyFiles: KEY_FILES_NOTE }, () =>
        [
          `wrote ${file} (${archive.length} bytes): the store as of ${manifest.createdAt}, audit log up to seq ${manifest.auditHead.seq}`,
          `key files are ${KEY_FILES_NOTE}`,
        ].join('\n'),
      );
    });

  program
    .command('restore FILE')
    .description('restore a backup into an embedded data directory, migrate it and verify its audit chain')
    .option('--data-dir <dir>', 'the data directory to restore into (LATCH_DATA_DIR, default ./latch-data)')
    .option('--database-url <url>', 'refused: restore PostgreSQL with pg_restore')
    .option('--force', 'replace a store already in the directory, and key files there')
    .option('--keys-from <dir>', 'copy audit.key and secret.key from this directory, where present')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: BackupOpts & { databaseUrl?: string; keysFrom?: string }) => {
      const config = loadServeConfig(opts, process.env);
      if (config.databaseUrl) throw new CliError(`restore is for the embedded store; ${PG_DUMP_ADVICE}`);
      const { restoreBackup } = await import('../restore.js');
      const r = await restoreBackup(file, config.dataDir, {
        force: !!opts.force,
        keysFrom: opts.keysFrom,
        auditKey: config.auditKey,
      });
      for (const notice of r.notices) console.error(`latch: ${notice}`);
      const v = r.verify;
      const complete = v !== null && v.ok && v.checked === r.manifest.auditHead.seq;
      print(!!opts.json, { ...r, notices: undefined, ok: complete }, () =>
        [
          `restored ${file} (the store as of ${r.manifest.createdAt}, Latch ${r.manifest.latchVersion}) into ${r.dataDir}`,
          r.migrationsApplied.length
            ? `migrations applied: ${r.migrationsApplied.join(', ')}`
            : 'migrations: up to date',
          v === null
            ? `audit chain: NOT VERIFIED, no audit key at hand (${r.unverified}); give --keys-from or LATCH_AUDIT_KEY`
            : complete
              ? `audit chain: ok, ${v.checked} events verified, as the backup recorded`
              : v.ok
                ? `audit chain: FAILED: ${v.checked} events verified, but the backup recorded ${r.manifest.auditHead.seq}`
                : `audit chain: FAILED at seq ${v.firstBadSeq} (${v.reason}); ${v.checked} events verified before it`,
          r.keysCopied.length
            ? `key files copied from ${opts.keysFrom}: ${r.keysCopied.join(', ')}`
            : `key files: none copied (backups hold none); put audit.key and secret.key, or LATCH_AUDIT_KEY / LATCH_SECRET_KEY, in place before starting Latch`,
        ].join('\n'),
      );
      if (!complete)
        throw new CliError(
          `the restored store in ${r.dataDir} ${v === null ? 'could not be verified' : 'did not verify'}`,
          3,
        );
    });
}
