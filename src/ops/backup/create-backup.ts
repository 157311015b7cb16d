import { AppError } from '../../domain/errors.js';
import { type Actor } from '../../domain/users.js';
import { encodeBackupArchive, PG_DUMP_ADVICE, type BackupManifest } from '../../store/backup-archive.js';
import { VERSION } from '../../version.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction, type TransactionDeps } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

export interface Backup {
  chunks: Buffer[];
  bytes: number;
  manifest: BackupManifest;
}

/**
 * A backup of the embedded store, taken while it serves (admins; `actor` null: the CLI on a data directory no
 * server holds). The copy holds every change acknowledged before it began. `backup.created` is written once the
 * copy exists, so the archive's own chain ends just before it; its data names the archive's checksum.
 */
export async function createBackup(
  deps: TransactionDeps & Pick<OpsDeps, 'snapshotStore'>,
  actor: Actor | null,
): Promise<Backup> {
  if (actor) authorize(actor, 'backup', 'take', {}, 'only admins can take backups');
  if (!deps.snapshotStore) throw new AppError('backup_not_supported', PG_DUMP_ADVICE);
  const snapshot = await deps.snapshotStore();
  const { chunks, manifest } = encodeBackupArchive(snapshot, VERSION);
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'backup.created',
        actorId: actor?.id ?? null,
        subjects: [],
        data: {
          bytes,
          dataSha256: manifest.data.sha256,
          auditSeq: manifest.auditHead.seq,
          migrations: manifest.migrations.length,
        },
      },
    ],
  }));
  return { chunks, bytes, manifest };
}
