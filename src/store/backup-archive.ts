import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { StoreSnapshot } from './embedded-snapshot.js';
import { readTar, tarEnd, tarFile, TarFormatError } from './tar.js';

// A backup of the embedded store: a tar archive holding a manifest and PGlite's gzipped dump of the data
// directory's pgdata. The manifest records what the copy holds (the audit chain's head, the migrations) and the
// dump's checksum, so a damaged or foreign archive is refused before anything is restored. Key files are never
// in it: they live beside pgdata, not in it, and an archive holding a key beside the data it protects would
// defeat the key. A restore also refuses any *.key entry.

export const MANIFEST_NAME = 'latch-backup.json';
export const DATA_NAME = 'pgdata.tar.gz';
const FORMAT = 'latch-embedded-backup';
const FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  createdAt: string;
  latchVersion: string;
  migrations: string[];
  auditHead: { seq: number; hash: string };
  data: { file: typeof DATA_NAME; bytes: number; sha256: string };
  keyFiles: string;
}

export class BackupArchiveError extends Error {}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Where a PostgreSQL store's backups come from instead: its own tools. */
export const PG_DUMP_ADVICE =
  'this Latch runs on PostgreSQL: back it up with pg_dump --format=custom and restore with pg_restore ' +
  '(README, "Backup and restore")';

export const KEY_FILES_NOTE =
  'not included: keep audit.key and secret.key (or LATCH_AUDIT_KEY / LATCH_SECRET_KEY) with your backups, separately';

/** The archive's bytes, in order, and its manifest. */
export function encodeBackupArchive(
  snapshot: StoreSnapshot,
  latchVersion: string,
): { chunks: Buffer[]; manifest: BackupManifest } {
  const manifest: BackupManifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    createdAt: snapshot.takenAt.toISOString(),
    latchVersion,
    migrations: snapshot.migrations,
    auditHead: snapshot.auditHead,
    data: { file: DATA_NAME, bytes: snapshot.data.length, sha256: sha256(snapshot.data) },
    keyFiles: KEY_FILES_NOTE,
  };
  const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  return {
    chunks: [
      ...tarFile(MANIFEST_NAME, json, snapshot.takenAt),
      ...tarFile(DATA_NAME, snapshot.data, snapshot.takenAt),
      tarEnd(),
    ],
    manifest,
  };
}

function parseManifest(bytes: Uint8Array): BackupManifest {
  let m: Partial<BackupManifest>;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<BackupManifest>;
  } catch {
    throw new BackupArchiveError(`its ${MANIFEST_NAME} is not JSON`);
  }
  if (m.format !== FORMAT)
    throw new BackupArchiveError(`its ${MANIFEST_NAME} is not a Latch backup manifest`);
  if (m.version !== FORMAT_VERSION)
    throw new BackupArchiveError(`backup format version ${String(m.version)} is not supported by this Latch`);
  const ok =
    typeof m.createdAt === 'string' &&
    Array.isArray(m.migrations) &&
    m.migrations.every((x) => typeof x === 'string') &&
    typeof m.auditHead?.seq === 'number' &&
    typeof m.auditHead.hash === 'string' &&
    typeof m.data?.bytes === 'number' &&
    typeof m.data.sha256 === 'string';
  if (!ok) throw new BackupArchiveError(`its ${MANIFEST_NAME} is incomplete`);
  return m as BackupManifest;
}

/** The dump must be a data directory and nothing else: relative names, PG_VERSION present, no key file. */
function checkDataDirDump(data: Uint8Array) {
  let entries;
  try {
    entries = readTar(gunzipSync(data));
  } catch (err) {
    throw new BackupArchiveError(`its data directory dump is unreadable (${(err as Error).message})`);
  }
  const names = entries.map((e) => e.name.replace(/^\/+/, ''));
  const bad = names.find((n) => n.split('/').includes('..'));
  if (bad !== undefined)
    throw new BackupArchiveError(`its data directory dump names a path outside it: ${bad}`);
  const key = names.find((n) => n.endsWith('.key'));
  if (key !== undefined)
    throw new BackupArchiveError(`it holds a key file (${key}); a backup must never hold one`);
  if (!names.includes('PG_VERSION'))
    throw new BackupArchiveError('its data directory dump holds no PostgreSQL data');
}

/** Reads and checks a whole archive; every problem is a BackupArchiveError saying what is wrong. */
export function decodeBackupArchive(archive: Uint8Array): { manifest: BackupManifest; data: Uint8Array } {
  let entries;
  try {
    entries = readTar(archive);
  } catch (err) {
    if (err instanceof TarFormatError)
      throw new BackupArchiveError(`not a Latch backup archive (${err.message})`);
    throw err;
  }
  const manifestEntry = entries.find((e) => e.name === MANIFEST_NAME && e.type === 'file');
  if (!manifestEntry) throw new BackupArchiveError(`not a Latch backup archive (no ${MANIFEST_NAME})`);
  const manifest = parseManifest(manifestEntry.data);
  const dataEntry = entries.find((e) => e.name === DATA_NAME && e.type === 'file');
  if (!dataEntry) throw new BackupArchiveError(`the archive holds no ${DATA_NAME}`);
  if (dataEntry.data.length !== manifest.data.bytes || sha256(dataEntry.data) !== manifest.data.sha256)
    throw new BackupArchiveError(`the archive is damaged: ${DATA_NAME} does not match its checksum`);
  checkDataDirDump(dataEntry.data);
  return { manifest, data: dataEntry.data };
}
