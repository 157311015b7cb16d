import { readFileSync } from 'node:fs';
import type { ServeConfig } from '../config.js';
import type { StoredCheckpoint } from '../domain/audit-chain.js';
import { CheckpointExportError, parseCheckpointExport } from '../domain/audit-checkpoint-records.js';
import { VERIFY_REASONS } from '../domain/audit-verification.js';
import { loadAuditKey } from '../keys/load-keys.js';
import { verifyAuditLog, type VerifyResult } from '../ops/audit/verify.js';
import { openStore } from '../store/connection.js';
import { isMigrated } from '../store/migrate.js';
import { CliError, print } from './client.js';

// `latch audit verify`: checks the log in the store itself, with the audit key found by the server's rules, and
// against checkpoints kept outside (a SIEM's copy of what the audit stream sent), which still stand when the
// newest events and the checkpoint rows that covered them were all deleted.

export async function runAuditVerify(
  config: ServeConfig,
  opts: { checkpoints?: string | undefined; json: boolean },
): Promise<void> {
  const external = opts.checkpoints === undefined ? undefined : readCheckpoints(opts.checkpoints);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  for (const notice of store.notices) console.error(`latch: ${notice}`);
  try {
    const audit = loadAuditKey({
      auditKey: config.auditKey,
      storeKind: store.kind,
      dataDir: store.kind === 'embedded' ? config.dataDir : undefined,
    });
    if (!(await isMigrated(store.db)))
      throw new CliError(`the store in ${store.location} is not migrated: run \`latch migrate\` first`);
    const result = await verifyAuditLog(
      { db: store.db, keys: { audit } },
      external ? { externalCheckpoints: external } : {},
    );
    print(opts.json, result, () => describe(result, store.location));
    if (!result.ok) throw new CliError('audit chain verification failed', 3);
  } finally {
    await store.close();
  }
}

function readCheckpoints(file: string): StoredCheckpoint[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --checkpoints ${file}: ${(err as Error).message}`);
  }
  try {
    return parseCheckpointExport(text);
  } catch (err) {
    if (err instanceof CheckpointExportError) throw new CliError(`--checkpoints ${file}: ${err.message}`);
    throw err;
  }
}

function describe(r: VerifyResult, location: string): string {
  const { stored, external } = r.checkpoints;
  if (r.reason === 'wrong_key') return `cannot verify ${location}: ${VERIFY_REASONS.wrong_key}`;
  if (!r.ok)
    return `TAMPERED: first bad seq ${r.firstBadSeq} (${r.reason}: ${VERIFY_REASONS[r.reason!]}); ${r.checked} events verified before it`;
  const sealed =
    r.keyedFromSeq === null
      ? ' (not sealed yet: every event follows the unkeyed rule until the server starts with its key)'
      : '';
  return `ok: ${r.checked} events verified in ${location}, through ${stored} stored and ${external} external checkpoints${sealed}`;
}
